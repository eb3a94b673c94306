"""The store: the database (``db``, ``models``, ``repository``) and the file-system intake (``inbox``)."""
