"""Server-rendered SVG charts for survey results, built from the stored
aggregates (GroupResult / QuestionResult) only: never from answers.

Each builder returns a small dataclass of shapes and labels in SVG user
units; the templates in `components/chart_*.html` draw them inside a
`<figure>` with `role="img"`, a `<title>` and a `<desc>`, and every chart on
a page sits next to the table that holds the same figures. Colour never
carries meaning alone: every bar is labelled with its figure where it fits,
unfavourable shares are hatched as well as red, and the legend names each
pattern in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# GOV.UK Frontend colours; white text on the dark ones, black on the grey.
GREEN = "#00703c"
GREY = "#b1b4b6"
RED = "#942514"
BLUE = "#1d70b8"
BLACK = "#0b0c0c"
WHITE = "#ffffff"

WIDTH = 640  # viewBox width; the SVG scales to its container
LABEL_WIDTH = 250  # room for question text on the left
MIN_LABELLED = 9  # a segment narrower than this (in %) gets no label inside


@dataclass
class Segment:
    x: float
    width: float
    fill: str
    text_fill: str
    label: str
    title: str
    hatched: bool = False

    @property
    def text_x(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def show_label(self) -> bool:
        return bool(self.label) and self.width >= MIN_LABELLED * (WIDTH - LABEL_WIDTH) / 100


@dataclass
class BarRow:
    y: float
    label: str
    segments: list[Segment]
    note: str = ""


@dataclass
class LegendItem:
    fill: str
    label: str
    hatched: bool = False


@dataclass
class StackedBars:
    """Horizontal 100% bars: one row per question (or one for eNPS)."""

    id: str
    title: str
    description: str
    rows: list[BarRow]
    legend: list[LegendItem]
    height: float
    row_height: float = 28
    label_width: float = LABEL_WIDTH
    width: float = WIDTH

    @property
    def bar_x(self) -> float:
        return self.label_width

    @property
    def text_dy(self) -> float:
        return round(self.row_height / 2 + 5, 1)


def _bar_scale(share: float | None) -> float:
    return round((share or 0) * (WIDTH - LABEL_WIDTH) / 100, 1)


def _shorten(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _segments(parts) -> list[Segment]:
    """parts: (share, fill, text fill, name, hatched). Shares in %."""
    x = LABEL_WIDTH
    out = []
    for share, fill, text_fill, name, hatched in parts:
        if share is None:
            continue
        width = _bar_scale(share)
        label = f"{share:g}%"
        out.append(Segment(x, width, fill, text_fill, label, f"{name}: {label}", hatched))
        x = round(x + width, 1)
    return out


FAVOURABILITY_LEGEND = [
    LegendItem(GREEN, "Favourable (agree, strongly agree)"),
    LegendItem(GREY, "Neutral"),
    LegendItem(RED, "Unfavourable (disagree, strongly disagree), hatched", hatched=True),
]


def score_distribution(rows, *, group_label: str, chart_id: str = "chart-scores") -> StackedBars:
    """Favourable / neutral / unfavourable per agreement question (rows are
    `selectors.QuestionRow`s; others are skipped)."""
    bars = []
    row_height = 28
    for row in rows:
        result = row.result
        if result is None or result.favourable is None:
            continue
        y = 10 + len(bars) * (row_height + 8)
        bars.append(
            BarRow(
                y=y,
                label=_shorten(row.question.text),
                segments=_segments(
                    [
                        (result.favourable, GREEN, WHITE, "Favourable", False),
                        (result.neutral, GREY, BLACK, "Neutral", False),
                        (result.unfavourable, RED, WHITE, "Unfavourable", True),
                    ]
                ),
                note=row.question.text,
            )
        )
    best = max(
        (r for r in rows if r.result is not None and r.result.favourable is not None),
        key=lambda r: r.result.favourable,
        default=None,
    )
    worst = min(
        (r for r in rows if r.result is not None and r.result.favourable is not None),
        key=lambda r: r.result.favourable,
        default=None,
    )
    description = (
        f"Share of favourable, neutral and unfavourable answers for {len(bars)} questions, "
        f"{group_label}."
    )
    if best is not None and worst is not None and best is not worst:
        description += (
            f" Highest favourable: {best.question.text} ({best.result.favourable:g}%)."
            f" Lowest: {worst.question.text} ({worst.result.favourable:g}%)."
        )
    return StackedBars(
        id=chart_id,
        title=f"How people answered each question, {group_label}",
        description=description + " The table below gives every figure.",
        rows=bars,
        legend=FAVOURABILITY_LEGEND,
        height=10 + len(bars) * (row_height + 8) + 4,
        row_height=row_height,
    )


def enps(group, *, chart_id: str = "chart-enps") -> StackedBars | None:
    """Detractors / passives / promoters as one bar, with the score."""
    if group.enps is None:
        return None
    row = BarRow(
        y=10,
        label=f"eNPS {group.enps:+g}",
        segments=_segments(
            [
                (group.detractors, RED, WHITE, "Detractors (0 to 6)", True),
                (group.passives, GREY, BLACK, "Passives (7 or 8)", False),
                (group.promoters, GREEN, WHITE, "Promoters (9 or 10)", False),
            ]
        ),
    )
    return StackedBars(
        id=chart_id,
        title=f"Employee net promoter score {group.enps:+g}, {group.label}",
        description=(
            f"Detractors {group.detractors:g}%, passives {group.passives:g}%, promoters "
            f"{group.promoters:g}%. The score is promoters minus detractors: {group.enps:+g}."
        ),
        rows=[row],
        legend=[
            LegendItem(RED, "Detractors (0 to 6), hatched", hatched=True),
            LegendItem(GREY, "Passives (7 or 8)"),
            LegendItem(GREEN, "Promoters (9 or 10)"),
        ],
        height=48,
        label_width=LABEL_WIDTH,
    )


@dataclass
class Point:
    x: float
    y: float
    label: str
    axis_label: str
    title: str


@dataclass
class TrendChart:
    id: str
    title: str
    description: str
    points: list[Point]
    lines: list[str]  # SVG polyline point lists; a hidden wave breaks the line
    gaps: list[Point]  # hidden (suppressed) waves, marked on the axis
    gridlines: list[tuple[float, str]]
    width: float = WIDTH
    height: float = 220
    left: float = 44
    bottom: float = 180
    top: float = 16

    @property
    def right(self) -> float:
        return self.width - 20


def trend(results, *, group_label: str, chart_id: str = "chart-trend") -> TrendChart | None:
    """Engagement (average favourable %) across waves, oldest first. A hidden
    wave leaves a gap and is marked "hidden" on the axis."""
    waves = list(results)
    if not waves:
        return None
    chart = TrendChart(
        id=chart_id,
        title=f"Engagement over {len(waves)} waves, {group_label}",
        description="",
        points=[],
        lines=[],
        gaps=[],
        gridlines=[],
    )
    span = chart.right - chart.left
    step = span / max(len(waves) - 1, 1)
    height = chart.bottom - chart.top
    chart.gridlines = [
        (round(chart.bottom - height * v / 100, 1), f"{v}%") for v in (0, 25, 50, 75, 100)
    ]
    current: list[str] = []
    words = []
    for i, g in enumerate(waves):
        x = round(chart.left + (step * i if len(waves) > 1 else span / 2), 1)
        axis = f"W{g.wave.number}"
        if g.suppressed or g.engagement is None:
            chart.gaps.append(
                Point(x, chart.bottom, "hidden", axis, f"Wave {g.wave.number}: hidden")
            )
            if len(current) > 1:
                chart.lines.append(" ".join(current))
            current = []
            words.append(f"wave {g.wave.number} hidden")
            continue
        y = round(chart.bottom - height * g.engagement / 100, 1)
        chart.points.append(
            Point(x, y, f"{g.engagement:g}%", axis, f"Wave {g.wave.number}: {g.engagement:g}%")
        )
        current.append(f"{x},{y}")
        words.append(f"wave {g.wave.number} {g.engagement:g}%")
    if len(current) > 1:
        chart.lines.append(" ".join(current))
    chart.description = (
        "Engagement, the average favourable share, by wave: " + "; ".join(words) + "."
    )
    return chart


@dataclass
class HeatScale:
    """The heatmap's colour key as a strip: five levels and "hidden", each
    with its words and range written on it."""

    id: str
    title: str
    description: str
    cells: list[Segment] = field(default_factory=list)
    width: float = WIDTH
    height: float = 64


HEAT_LEVELS = [
    # fill, text, range, words (same colours as .bw-heat-N in app.css)
    ("#f4cfc9", "−10 or less", "well below"),
    ("#fbe5d6", "−3 to −10", "below"),
    ("#f3f2f1", "within 3", "about the same"),
    ("#d2e8d8", "+3 to +10", "above"),
    ("#a7d2b3", "+10 or more", "well above"),
]


def heat_scale(*, reference_label: str, chart_id: str = "chart-heat-scale") -> HeatScale:
    n = len(HEAT_LEVELS) + 1
    width = WIDTH / n
    cells = [
        Segment(round(i * width, 1), round(width, 1), fill, BLACK, words, rng)
        for i, (fill, rng, words) in enumerate(HEAT_LEVELS)
    ]
    cells.append(
        Segment(
            round(len(HEAT_LEVELS) * width, 1),
            round(width, 1),
            WHITE,
            BLACK,
            "hidden",
            "too few",
            hatched=True,
        )
    )
    return HeatScale(
        id=chart_id,
        title="Heatmap colour scale",
        description=(
            f"Cells are coloured by the difference from {reference_label} in percentage points: "
            + "; ".join(f"{words}, {rng}" for _, rng, words in HEAT_LEVELS)
            + "; hatched: hidden, too few responses. Each cell also shows the difference as "
            "a number."
        ),
        cells=cells,
    )


@dataclass
class DriverBar:
    y: float
    label: str
    note: str
    width: float
    value: str


@dataclass
class DriverChart:
    id: str
    title: str
    description: str
    bars: list[DriverBar]
    height: float
    width: float = WIDTH
    label_width: float = LABEL_WIDTH
    row_height: float = 24

    @property
    def text_dy(self) -> float:
        return round(self.row_height / 2 + 5, 1)


def drivers(rows, *, source_label: str, chart_id: str = "chart-drivers") -> DriverChart | None:
    """How closely each question moves with recommending (or wellbeing when
    there is no recommend question): correlation 0 to 1, as bar length."""
    key = "enps" if any(d.get("enps") is not None for d in rows) else "wellbeing"
    usable = [d for d in rows if d.get(key) is not None]
    if not usable:
        return None
    bars = []
    for i, d in enumerate(usable):
        r = max(d[key], 0)
        bars.append(
            DriverBar(
                y=10 + i * 32,
                label=_shorten(d["text"]),
                note=d["text"],
                width=round(r * (WIDTH - LABEL_WIDTH - 50), 1),
                value=f"{d[key]:.2f}",
            )
        )
    outcome = "recommending working here" if key == "enps" else "wellbeing"
    return DriverChart(
        id=chart_id,
        title=f"What moves most with {outcome}, {source_label}",
        description=(
            f"Correlation of each question with {outcome}, from 0 (none) to 1 (perfect): "
            + "; ".join(f"{d['text']} {d[key]:.2f}" for d in usable)
            + "."
        ),
        bars=bars,
        height=10 + len(bars) * 32,
    )
