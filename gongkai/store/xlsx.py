"""The XLSX export: Chinese column headers from cells.csv, frozen header row, a findings sheet, a column key."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from gongkai.formats.schema import cell_catalog, cell_label


def _headers(columns, names: dict[str, str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    "Chinese header of every column: the meta names, else the cell's row / column label."
    return {c: names.get(c) or cell_label(c) for c in columns}


def _key(columns, names: dict[str, str]) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    "One row per data column: its Chinese header, cell id, section and unit, so a sheet can be read back by id."
    catalog = cell_catalog()
    rows = []
    for c in columns:
        info = catalog.get(c)
        rows.append({"列名": names.get(c) or cell_label(c), "单元格编号": c,
                     "所在部分": info.section if info else "", "单位": info.unit if info else ""})
    return pd.DataFrame(rows)


def write_xlsx(path: Path, frame: pd.DataFrame, findings: pd.DataFrame, long: bool = False) -> None:
    "Write the data sheet, the findings sheet and the column key, each with its header row frozen."
    from gongkai.store.export import FINDING, LONG, META, SEVERITY

    names = {**META, **LONG}
    data = frame.rename(columns=_headers(frame.columns, names))
    findings = findings.assign(severity=findings["severity"].map(lambda s: SEVERITY.get(s, s)))
    sheets = {"报告" if not long else "单元格": data, "发现": findings.rename(columns=FINDING),
              "列说明": _key(frame.columns, names)}
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, sheet in sheets.items():
            sheet.to_excel(writer, sheet_name=name, index=False)
            ws = writer.sheets[name]
            ws.freeze_panes = "A2"
            for col in ws.iter_cols(min_row=1, max_row=1):
                header = col[0]
                ws.column_dimensions[header.column_letter].width = min(40, max(8, len(str(header.value)) * 2))
