from django.core.management.base import BaseCommand
from django.db import transaction

from integrations.models import Connection, Revocation
from lib import crypto

# Every column holding a secret encrypted with FIELD_ENCRYPTION_KEYS.
ENCRYPTED_FIELDS = {
    Connection: ("access_token", "refresh_token"),
    Revocation: ("access_token", "refresh_token"),
}


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored secret with the newest key in FIELD_ENCRYPTION_KEYS. "
        "Run after putting a new key first; drop the old key once this has finished."
    )

    def handle(self, *args, **options):
        total = 0
        for model, fields in ENCRYPTED_FIELDS.items():
            for pk in model.objects.values_list("pk", flat=True).iterator():
                # One row at a time, locked, so a concurrent token refresh is never overwritten.
                with transaction.atomic():
                    row = model.objects.select_for_update().filter(pk=pk).first()
                    if row is None:
                        continue
                    changed = []
                    for field in fields:
                        value = getattr(row, field)
                        if value:
                            setattr(row, field, crypto.reencrypt(value))
                            changed.append(field)
                    if changed:
                        row.save(update_fields=changed)
                        total += 1
        self.stdout.write(f"Re-encrypted {total} row(s) with the newest key.")
