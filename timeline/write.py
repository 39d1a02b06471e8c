"""Render every output of the site and write it atomically."""

from __future__ import annotations

from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError

from timeline.build import BuildReport
from timeline.charts import build_charts, plotly_assets, plotly_style_ids
from timeline.feeds import atom_feed, events_json, sitemap
from timeline.model import Timeline
from timeline.output import SiteWriter, fingerprint
from timeline.pages import plan_pages
from timeline.render import make_environment


def copy_static(templates: Path, writer: SiteWriter) -> dict[str, str]:
    """Copy templates/static/ with fingerprinted names; returns name -> path below the site root."""
    assets: dict[str, str] = {}
    static = templates / "static"
    for file in sorted(static.rglob("*")) if static.is_dir() else []:
        if not file.is_file():
            continue
        data = file.read_bytes()
        relative = file.relative_to(static).as_posix()
        stem, dot, suffix = relative.rpartition(".")
        target = f"static/{stem}.{fingerprint(data)}.{suffix}" if dot else f"static/{relative}"
        writer.write(target, data)
        assets[relative] = target
    for name, data in plotly_assets().items():
        stem, _, suffix = name.rpartition(".")
        target = f"static/{stem}.{fingerprint(data)}.{suffix}"
        writer.write(target, data)
        assets[name] = target
    return assets


def template_position(exc: TemplateError, templates: Path) -> tuple[str, int]:
    """The template file and line an error comes from (Jinja puts template lines in the traceback)."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return exc.filename, exc.lineno
    position = (str(templates), 1)
    trace = exc.__traceback__
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml")):
            position = (filename, trace.tb_lineno)
        trace = trace.tb_next
    return position


def write_site(timeline: Timeline, templates: Path, out: Path) -> BuildReport:
    writer = SiteWriter(out)
    try:
        assets = copy_static(templates, writer)
        charts = build_charts(timeline)
        env = make_environment(
            templates,
            {
                "timeline": timeline,
                "site": timeline.site,
                "assets": assets,
                "charts": charts,
                "plotly_style_ids": " ".join(plotly_style_ids()),
            },
        )
        pages = plan_pages(timeline)
        for page in pages:
            html = env.get_template(page.template).render(page=page, root=page.root, **page.context)
            writer.write(page.output, html)
        base = timeline.site.base_url
        writer.write("feed.xml", atom_feed(timeline))
        writer.write("events.json", events_json(timeline))
        writer.write("sitemap.xml", sitemap(base, [p.path for p in pages if p.in_sitemap]))
        writer.write("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n")
        writer.commit()
    except BaseException:
        writer.discard()
        raise
    return BuildReport(pages=len(pages), files=len(writer.written), bytes=sum(writer.written.values()))
