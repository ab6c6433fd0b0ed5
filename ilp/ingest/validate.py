"""The tabular import path, split by responsibility:

- `ilp.ingest.columns`: column specs (`Col`), header matching with user overrides, SPM service vocabulary
- `ilp.ingest.tabular`: cell parsing, `Ctx`, the wide-to-long step (`Wide`), `parse_tabular`
- `ilp.ingest.lookups`: checks against the database (codes, names), duplicates, date order
- `ilp.names`: names, codes and coded values (BULAN, JK, ...)

This module only gathers those names for importers written against the former single module.
"""
from ilp.ingest.columns import LAYANAN, LAYANAN_LABEL, Col, layanan_choices, match_columns, template_columns  # noqa: F401
from ilp.ingest.lookups import (check_codes, check_date_order, check_duplicates, check_kabkota, check_level,  # noqa: F401
                                existing_keys, faskes_jenis, missing_codes, same_place, table_count, wilayah_by_name,
                                wilayah_names)
from ilp.ingest.tabular import (Ctx, Wide, bad_rows, comma_decimal_style, fmt_value, is_template_description,  # noqa: F401
                                parse_cell, parse_date, parse_number, parse_tabular, typed_frame)
from ilp.names import BULAN, code_level as kode_shape, dotted  # noqa: F401
