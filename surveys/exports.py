"""CSV and XLSX exports of stored aggregates only (the same suppression as the
pages), with spreadsheet formula injection neutralised."""

from bewigan.core.spreadsheets import csv_lines, safe_cell, xlsx_bytes


def results_table(results) -> list[list]:
    group = results.group
    rows = [
        [
            "Group",
            "Question",
            "Responses",
            "Favourable %",
            "Neutral %",
            "Unfavourable %",
            "Mean",
            "Change (points)",
        ]
    ]
    if group.suppressed:
        rows.append([group.label, "Hidden: " + group.suppressed_reason, "", "", "", "", "", ""])
        return [[safe_cell(c) for c in r] for r in rows]
    for row in results.rows:
        r = row.result
        if r is None:
            continue
        rows.append(
            [
                group.label,
                row.question.text,
                r.n,
                r.favourable,
                r.neutral,
                r.unfavourable,
                r.mean,
                row.change,
            ]
        )
    if group.enps is not None:
        rows.append(
            [
                group.label,
                "eNPS",
                group.respondents,
                group.promoters,
                group.passives,
                group.detractors,
                group.enps,
                results.enps_change,
            ]
        )
    return [[safe_cell(c) for c in r] for r in rows]


def heatmap_table(heatmap) -> list[list]:
    rows = [["Group", *[q.text for q in heatmap.questions]]]
    for row in heatmap.rows:
        if row.group.suppressed:
            rows.append([row.group.label, *["hidden" for _ in heatmap.questions]])
        else:
            rows.append([row.group.label, *[c.favourable if c else "" for c in row.cells]])
    return [[safe_cell(c) for c in r] for r in rows]


def to_csv(rows) -> bytes:
    return b"".join(csv_lines(rows))


def to_xlsx(rows, title="Results") -> bytes:
    return xlsx_bytes(rows, title=title)
