from io import StringIO

from cryptography.fernet import Fernet
from django.core.management import call_command

from integrations.zoom.testing import ZoomTestCase
from lib import crypto

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


class KeyRotationTestCase(ZoomTestCase):
    def test_every_token_stays_readable_through_a_rotation(self):
        with self.settings(FIELD_ENCRYPTION_KEYS=[OLD]):
            self.connect()
            before = self.connection()
            access, refresh = (
                crypto.decrypt(before.access_token),
                crypto.decrypt(before.refresh_token),
            )
        # A new key goes first; the old one still decrypts until the rotation has run.
        with self.settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD]):
            self.assertEqual(crypto.decrypt(self.connection().access_token), access)
            out = StringIO()
            call_command("rotate_encryption_keys", stdout=out)
            self.assertIn("Re-encrypted 1 row", out.getvalue())
        # Now the old key can go.
        with self.settings(FIELD_ENCRYPTION_KEYS=[NEW]):
            after = self.connection()
            self.assertEqual(crypto.decrypt(after.access_token), access)
            self.assertEqual(crypto.decrypt(after.refresh_token), refresh)
            self.assertEqual(after.token_version, before.token_version)
