"""Import kinds. Each kind module exposes `KIND: ImportKind` (see base.py) and is listed in REGISTRY."""
