"""Company identities from imprints: the ``companies`` asset (``assets``) and its checks."""
