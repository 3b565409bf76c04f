from django.dispatch import Signal

# Sent inside the transaction that removes a connection (disconnect or deauthorization),
# with ``workspace_id`` and ``provider``: work queued for that connection must stop.
connection_removed = Signal()
