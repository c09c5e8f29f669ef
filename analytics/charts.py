"""Server-side SVG charts with pygal: no JavaScript, nothing loaded from elsewhere."""

import pygal
from pygal.style import Style

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1d2433",
    foreground_strong="#1d2433",
    foreground_subtle="#dde2ea",
    colors=("#6b3fd4", "#1d7a46", "#c27c0e", "#b3261e", "#2b6cb0"),
    font_family="system-ui, sans-serif",
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=12,
    title_font_size=14,
)


def _config(chart):
    chart.config.js = []  # pygal's tooltips would load a script from a CDN
    chart.config.disable_xml_declaration = True
    chart.config.style = STYLE
    chart.config.legend_at_bottom = True
    chart.config.show_y_guides = True
    chart.config.width, chart.config.height = 760, 300
    chart.config.explicit_size = False
    return chart


def revenue_profit_chart(series, bucket) -> str:
    """Revenue and profit per bucket, as an inline SVG string."""
    chart = _config(pygal.Bar() if len(series) <= 16 else pygal.Line(show_dots=False, fill=False))
    chart.title = f"Revenue and profit per {bucket}"
    labels = [
        entry["start"].strftime("%d %b" if bucket in ("day", "week") else "%b %Y" if bucket == "month" else "%Y")
        for entry in series
    ]
    chart.x_labels = labels
    chart.x_label_rotation = 30 if len(labels) > 8 else 0
    chart.show_minor_x_labels = False
    chart.x_labels_major_every = max(1, len(labels) // 10)
    chart.add("Revenue", [float(entry["revenue"]) for entry in series])
    chart.add("Profit", [float(entry["profit"]) for entry in series])
    return chart.render(is_unicode=True)


def category_chart(categories) -> str:
    chart = _config(pygal.Pie(inner_radius=0.5))
    chart.title = "Revenue by category"
    chart.config.height = 300
    for row in categories[:8]:
        chart.add(row["name"], float(row["revenue"]))
    return chart.render(is_unicode=True)
