from cryptography.fernet import Fernet
from django.test import SimpleTestCase, override_settings

from lib import crypto

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


class CryptoTestCase(SimpleTestCase):
    @override_settings(FIELD_ENCRYPTION_KEYS=[OLD])
    def test_it_round_trips_without_leaking_the_plaintext(self):
        ciphertext = crypto.encrypt("secret-token")
        self.assertNotIn("secret-token", ciphertext)
        self.assertEqual(crypto.decrypt(ciphertext), "secret-token")

    def test_it_keeps_old_values_readable_after_a_new_key_is_added(self):
        with self.settings(FIELD_ENCRYPTION_KEYS=[OLD]):
            ciphertext = crypto.encrypt("secret-token")
        with self.settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD]):
            self.assertEqual(crypto.decrypt(ciphertext), "secret-token")
            rotated = crypto.reencrypt(ciphertext)
        with self.settings(FIELD_ENCRYPTION_KEYS=[NEW]):
            self.assertEqual(crypto.decrypt(rotated), "secret-token")
            with self.assertRaises(crypto.DecryptionError):
                crypto.decrypt(ciphertext)

    @override_settings(FIELD_ENCRYPTION_KEYS=[NEW])
    def test_it_rejects_altered_ciphertext(self):
        ciphertext = crypto.encrypt("secret-token")
        with self.assertRaises(crypto.DecryptionError):
            crypto.decrypt(ciphertext[:-4] + "AAAA")
