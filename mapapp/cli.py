"""The ``innovation-map`` command: build, export, publish and serve, and the curation steps."""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from geo import settings
from geo.crs import CRS_PARAM
from geo.errors import GeoError
from geo.formats import EXCEL_PARAM, FORMATS, format_for, require_wgs84
from geo.geocoder import SERVICES, TIMEOUT_SECONDS
from geo.params import ParamError
from geo.pipeline import Inputs, build, run_pipeline, summary
from geo.reports import REPORT_KINDS
from geo.vocab import COLLECTIONS
from mapapp.stats import data_stats_markdown, update_readme


def _progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _inputs(args: argparse.Namespace) -> Inputs:
    data = Path(args.data_dir)
    return Inputs(
        reports_dir=data / "reports",
        gazetteer_dir=data / "gazetteer",
        boundaries=data / "boundaries" / settings.BOUNDARIES_FILE.name,
        hubs=data / "hubs" / settings.HUBS_FILE.name,
    )


def _print_summary(s: dict[str, object]) -> None:
    print(
        f"places: {s['places']}  mentions: {s['mentions']}  district profiles: {s['district_profiles']}"
    )
    for key, title in (
        ("by_category", "by category"),
        ("by_district", "by district"),
        ("by_precision", "by precision"),
        ("places_by_report", "places named per report"),
    ):
        counts = s[key]
        assert isinstance(counts, dict)
        print(f"{title}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    excluded = s["excluded_by_kind"]
    assert isinstance(excluded, dict)
    print(
        f"unmatched candidates: {s['unmatched_candidates']} (see unmatched.csv); "
        f"excluded with a reason: {sum(excluded.values())}"
    )
    stale = s["stale_exclusions"]
    assert isinstance(stale, list)
    if stale:
        print(
            f"excluded.csv lists {len(stale)} name(s) the reports no longer yield "
            f"(remove them): {', '.join(stale)}"
        )


def _cmd_build(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    out = Path(args.out)
    data = build(out, _inputs(args), progress=_progress)
    _print_summary(summary(data))
    print(f"built {out} in {time.perf_counter() - start:.1f} s")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    data = run_pipeline(_inputs(args), progress=_progress)
    _print_summary(summary(data))
    print("check passed: corpus hashes, gazetteer, boundaries, hubs and places are valid")
    return 0


def _cmd_candidates(args: argparse.Namespace) -> int:
    data = run_pipeline(_inputs(args))
    for c in data.candidates[: args.limit or None]:
        print(f"{c.count:4d}  {c.name}  ({c.report}:{c.line})  {c.quote}")
    print(f"{len(data.candidates)} unmatched place-like names", file=sys.stderr)
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    data = run_pipeline(_inputs(args))
    if args.readme:
        try:
            changed = update_readme(Path(args.readme), data)
        except (OSError, ValueError) as exc:
            raise GeoError(f"cannot update {args.readme}: {exc}") from None
        print(f"{args.readme}: {'updated' if changed else 'already up to date'}", file=sys.stderr)
    else:
        print(data_stats_markdown(data), end="")
    return 0


def _view_args(view: str) -> Any:
    """Return ``--view`` as URL parameters (a MultiDict), checked as a URL's are.

    A value that is not UTF-8 once percent-decoded is an error naming its parameter, never
    searched as "%FF".
    """
    from werkzeug.datastructures import MultiDict

    from mapapp.core import check_query_encoding
    from mapapp.errors import MapAppError

    text = view.lstrip("?")
    try:
        check_query_encoding(text)
    except MapAppError as exc:
        raise GeoError(f"--view {exc.user_msg}") from None
    return MultiDict(parse_qsl(text))


def _export_query(
    args: argparse.Namespace, data: Any, collection: str | None, *, unplaced: bool = False
) -> tuple[Any, dict[str, Any]]:
    """Return the PlaceQuery and the writer options of the export options and ``--view``.

    They are the URL parameters, checked as the download checks them (an unknown parameter, or
    a filter ``collection`` does not take, is an error), so the file holds what the same URL
    downloads.
    """
    from werkzeug.datastructures import MultiDict

    from mapapp.errors import MapAppError
    from mapapp.exports import parse_download

    query_args = _view_args(args.view) if args.view else MultiDict()
    for name in ("layers", "district", "category", "year", "status"):
        for value in getattr(args, name) or []:
            query_args.add(name, value)
    for name in ("bbox", "q", "crs"):
        if getattr(args, name, None):
            query_args.add(name, getattr(args, name))
    if getattr(args, "excel", False):
        query_args.add("excel", "1")
    if args.unplaced or unplaced:
        query_args["unplaced"] = "1"
    try:
        query, options = parse_download(data, collection, query_args)
    except MapAppError as exc:
        raise GeoError(f"--{exc.user_msg}") from None
    return query, options


def _cmd_export(args: argparse.Namespace) -> int:
    from mapapp.app import load_map_data
    from mapapp.exports import download_metadata, export_frame

    if args.package:
        if args.out or args.crs or args.excel or args.collection != "places":
            raise GeoError(
                "--package DIR writes every layer in WGS-84: give no OUT, --collection, --crs or --excel"
            )
        return _cmd_package(args)
    if not args.out:
        raise GeoError("give OUT (a file name, e.g. pudong.gpkg) or --package DIR")
    out = Path(args.out)
    fmt = format_for(out)  # a clear error for an unknown suffix, before any work
    data = load_map_data(Path(args.build_dir))
    query, options = _export_query(args, data, args.collection)
    try:
        require_wgs84(fmt, options)  # before writing, as the writer would refuse it
    except ParamError as exc:
        raise GeoError(f"--{exc.user_message}") from None
    chosen = export_frame(data, args.collection, query)
    # The build's metadata (its date, not the export's), plus what was asked: as a download.
    metadata = download_metadata(data, args.collection, query)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Write into a temporary folder beside OUT, then move every file: OUT is never half-written.
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".export-") as tmp:
        written = fmt.write(chosen, Path(tmp) / out.name, metadata, args.collection, options)
        for path in written:
            path.replace(out.parent / path.name)
    extra = f" (metadata in {out.stem}.metadata.json)" if len(written) > 1 else ""
    print(f"wrote {len(chosen)} {args.collection} to {out}{extra}")
    return 0


def _cmd_package(args: argparse.Namespace) -> int:
    import shutil

    from geo.package import write_package
    from mapapp.app import load_map_data
    from mapapp.exports import export_frame

    out = Path(args.package)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise GeoError(f"--package {out}: give a new or empty folder")
    data = load_map_data(Path(args.build_dir))
    # A package holds every place, placed or not (the filters still apply when given).
    query, _ = _export_query(args, data, None, unplaced=True)
    frames = {c: export_frame(data, c, query) for c in COLLECTIONS}
    metadata = {**data.metadata, "filters": query.as_params()}
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written beside OUT, then renamed: a failure never leaves half a package.
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=".package-"))
    try:
        descriptor = write_package(tmp, frames, metadata)
        if out.exists():
            out.rmdir()
        tmp.replace(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    names = ", ".join(f"{len(f)} {c}" for c, f in frames.items())
    print(f"wrote {out / descriptor.name} and every layer ({names})")
    return 0


def _cmd_publish(args: argparse.Namespace) -> int:
    from geo.publish import publish_layers
    from geo.query import PlaceQuery
    from mapapp.app import load_map_data
    from mapapp.exports import export_frame

    data = load_map_data(Path(args.build_dir))
    # Every place, placed or not; every layer as exported (districts with their counts).
    query = PlaceQuery(unplaced=True)
    frames = {c: export_frame(data, c, query) for c in COLLECTIONS}
    counts = publish_layers(args.dsn, frames, data.metadata, schema=args.schema)
    names = ", ".join(f"{n} {t}" for t, n in counts.items())
    print(f"published schema {args.schema}: {names} (WGS-84, EPSG:4326, GiST indexes)")
    return 0


def _view_and_pages(args: argparse.Namespace) -> tuple[Any, dict[Any, str], dict[str, Any]]:
    from layers.basemaps import basemaps
    from mapapp import core, pages
    from mapapp.app import load_map_data
    from mapapp.errors import MapAppError

    data = load_map_data(Path(args.build_dir))
    view_args = _view_args(args.view)
    try:
        view = core.parse_view(view_args, data, [b.id for b in basemaps()], embed=True)
    except MapAppError as exc:
        raise GeoError(f"--view {exc.user_msg}") from None
    return data, pages.render_map_pages(data), {"view": view, "args": view_args}


def _write_atomically(out: Path, body: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_bytes(body)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)


def _cmd_html(args: argparse.Namespace) -> int:
    from mapapp import core, pages

    data, rendered, state = _view_and_pages(args)
    lang = state["view"]["lang"]
    charts = core.district_charts(data, lang)
    html = pages.offline_page(rendered[lang], args.view.lstrip("?"), charts=charts)
    _write_atomically(Path(args.out), html.encode("utf-8"))
    print(f"wrote {args.out} ({len(html) / 1e6:.1f} MB, opens offline from file://)")
    return 0


def _cmd_png(args: argparse.Namespace) -> int:
    from mapapp import pages
    from mapapp.errors import MapAppError

    pdf = args.command == "pdf"
    if Path(args.out).suffix.lower() != f".{args.command}":
        raise GeoError(f"{args.out}: the file name must end in .{args.command}")
    data, rendered, state = _view_and_pages(args)
    lang = state["view"]["lang"]
    try:
        body, engine = (pages.pdf if pdf else pages.png)(
            data,
            rendered[lang],
            args.view.lstrip("?"),
            dict(state["args"]),
            lang=lang,
            width=args.width,
            height=args.height,
            scale=1 if pdf else args.scale,
            engine=args.engine,
        )
    except MapAppError as exc:
        raise GeoError(exc.user_msg) from None
    _write_atomically(Path(args.out), body)
    size = (
        f"{args.width}×{args.height} px page"
        if pdf
        else f"{args.width}×{args.height} at {args.scale}×"
    )
    print(f"wrote {args.out} ({size}, drawn by {engine})")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from mapapp import create_app, serving

    behind_nginx = args.prod and not args.no_nginx
    if behind_nginx:
        from mapapp.nginx import find_nginx

        find_nginx()  # before loading anything: a clear message with the install command
    # Behind our nginx, exactly one proxy's X-Forwarded-* headers are to be believed.
    app = create_app(
        {"BUILD_DIR": Path(args.build_dir), **({"PROXIES": 1} if behind_nginx else {})}
    )
    if args.prod:
        workers = args.workers or serving.default_workers()
        front = "nginx → gunicorn" if behind_nginx else "gunicorn (no nginx)"
        print(
            f"serving on http://{args.host}:{args.port}/ with {front}, {workers} workers "
            f"× {args.threads} threads (Ctrl+C to stop)",
            file=sys.stderr,
        )
        if behind_nginx:
            serving.run_behind_nginx(
                app, args.host, args.port, workers, args.threads, quiet=args.quiet
            )
        else:
            bind = f"[{args.host}]:{args.port}" if ":" in args.host else f"{args.host}:{args.port}"
            serving.run_gunicorn(
                app, serving.gunicorn_options(bind, workers, args.threads, quiet=args.quiet)
            )
        return 0
    print(f"serving on http://{args.host}:{args.port}/ (Ctrl+C to stop)", file=sys.stderr)
    app.run(host=args.host, port=args.port, debug=False)  # never debug: it runs code from the page
    return 0


def _default_title(lines: Sequence[str], year: int, kind: str) -> str:
    """Return the document's first heading, else its first line, as a title (at most 60 chars).

    A progress report's title names its year, as the series does (2025上海科技进步报告): the
    2025 report prints the year on a line of its own above the heading. A title naming another
    year than ``year`` is an error (the wrong file, or the wrong ``--year``).
    """
    texts = [ln.strip() for ln in lines if ln.strip()]
    heading = next((t.lstrip("#").strip() for t in texts if t.startswith("#")), "")
    title = (heading or (texts[0] if texts else ""))[:60]
    named = re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", title)
    if named and str(year) not in named:
        raise GeoError(
            f"the document's title {title!r} names {', '.join(named)}, but --year is {year}: "
            "check --year, or give the title with --title"
        )
    if not named and kind.startswith("progress_report"):
        title = f"{year}{title}"
    return title


def _cmd_add_report(args: argparse.Namespace) -> int:
    import hashlib

    from geo.excluded import read_excluded
    from geo.gazetteer import load_gazetteer
    from geo.ingest import text_from_document
    from geo.reports import add_report_file, load_manifest, manifest_entry
    from geo.review import review_rows_for_report, write_review_sheet

    inputs = _inputs(args)
    source_path = Path(args.file)
    doc = text_from_document(source_path)
    existing = load_manifest(inputs.reports_dir)
    # The sheet needs a valid gazetteer: check it before writing anything.
    load_gazetteer(inputs.gazetteer_dir / settings.PLACES_FILE)
    read_excluded(inputs.gazetteer_dir / settings.EXCLUDED_FILE)
    report_id = args.id or (
        f"{args.year}_st_progress_report"
        if args.kind == "progress_report"
        else f"{args.year}_{args.kind}"
    )
    title_zh = args.title or _default_title(doc.lines, args.year, args.kind)
    if args.kind != "progress_report" and not args.title_en:
        raise GeoError(f"give the English title of this {args.kind} with --title-en")
    title_en = args.title_en or f"Shanghai S&T Progress Report {args.year}"
    newest = max(existing, key=lambda r: r.year)
    source: dict[str, Any] = {
        "document": source_path.name,
        "format": doc.format_,
        "sha256": hashlib.sha256(source_path.read_bytes()).hexdigest(),
    }
    if args.url:
        source["url"] = args.url
    if doc.pages is not None:
        source["pages"] = doc.pages
    if doc.unread:
        source["unread"] = doc.unread
    text = "\n".join(doc.lines) + "\n"
    entry = manifest_entry(
        report_id,
        report_id + doc.suffix,
        text.encode("utf-8"),
        year=args.year,
        title_zh=title_zh,
        title_en=title_en,
        publisher=args.publisher or newest.publisher,
        kind=args.kind,
        source=source,
    )
    path = add_report_file(inputs.reports_dir, entry, text)
    pages = f", {doc.pages} pages" if doc.pages is not None else ""
    print(
        f"wrote {path} ({len(doc.lines)} lines{pages}, {doc.headings} headings, {doc.tables} tables)"
    )
    print(f"manifest: {report_id} · {args.year} · {title_zh} / {title_en} · {entry['publisher']}")
    for note in doc.notes:
        print(f"  note: {note}")
    if doc.unread:
        print(f"could not read {len(doc.unread)} part(s); check them in the original document:")
        for item in doc.unread:
            print(f"  - {item}")
    rows, known = review_rows_for_report(inputs, report_id)
    sheet = Path(args.sheet) if args.sheet else Path(args.data_dir) / "reviews" / f"{report_id}.csv"
    write_review_sheet(sheet, rows)
    decided = ", ".join(f"{n} {d}" for d, n in Counter(r["decision"] for r in rows).most_common())
    print(f"names {known} known places; {len(rows)} new candidate names ({decided or 'none'})")
    print(f"review sheet: {sheet}")
    print(f"next: check every row, then `innovation-map review apply {sheet}`")
    return 0


def _cmd_review_apply(args: argparse.Namespace) -> int:
    from geo.review import apply_review

    inputs = _inputs(args)
    outcome = apply_review(Path(args.sheet), inputs)
    print(
        f"applied {args.sheet}: {len(outcome.new_places)} new places, "
        f"{len(outcome.aliases)} aliases, {len(outcome.exclusions)} exclusions, "
        f"{len(outcome.skipped)} skipped"
    )
    for name, place_id in outcome.aliases:
        print(f"  alias {name} → {place_id}")
    for place_id in outcome.new_places:
        print(f"  new place {place_id}")
    if outcome.skipped:
        print(f"still unmatched (skipped): {', '.join(outcome.skipped)}")
    return 0 if args.no_build else _rebuild(args, inputs)


def _rebuild(args: argparse.Namespace, inputs: Inputs) -> int:
    """Rebuild after a review step changed the gazetteer (to ``--out`` or DATA_DIR/build)."""
    out = Path(args.out) if args.out else Path(args.data_dir) / "build"
    data = build(out, inputs, progress=_progress)
    _print_summary(summary(data))
    print(f"built {out}")
    return 0


def _cmd_geocode_propose(args: argparse.Namespace) -> int:
    from geo.gazetteer import load_gazetteer
    from geo.geocoder import Proposal, places_to_geocode, propose_coordinates, service_settings

    service_settings(args.service, args.base_url)  # a missing key or bad URL stops here
    data_dir = Path(args.data_dir)
    ids = [i for chunk in args.ids or () for i in chunk.split(",") if i]
    places = places_to_geocode(load_gazetteer(data_dir / "gazetteer" / settings.PLACES_FILE), ids)
    sheet = Path(args.sheet or data_dir / "reviews" / f"geocode-{args.service}.csv")
    cache = Path(args.cache_dir or data_dir / "reviews" / "geocode-cache")
    n = len(places)
    print(f"asking {args.service} about {n} place{'s' * (n != 1)} (answers cached in {cache})")

    def progress(done: int, total: int, p: Proposal) -> None:
        point = f" ({p.lon}, {p.lat}) {p.level}" if p.lon is not None else f" {p.level}"
        _progress(f"[{done}/{total}] {p.id} {p.name_zh}: {p.status}{point}".rstrip())

    proposals = propose_coordinates(
        places,
        sheet,
        service=args.service,
        base_url=args.base_url,
        min_delay_seconds=args.delay,
        timeout=args.timeout,
        cache_dir=cache,
        progress=progress,
    )
    counts = Counter(p.status for p in proposals)
    print(", ".join(f"{k} {s}" for s, k in counts.most_common()) or "no places to ask about")
    print(f"review sheet: {sheet}")
    if proposals and counts["error"] == len(proposals):
        first = proposals[0]
        print(
            f"error: every request failed (the first: {first.level}: {first.raw_response[:200]}); "
            "is the service reachable from this machine, and is the key valid?",
            file=sys.stderr,
        )
        return 1
    print(
        "next: check each proposal against the place (the raw answer is in the sheet), write "
        "accept in its decision column, set its precision and address evidence, then "
        f"`innovation-map geocode apply {sheet}`"
    )
    return 0


def _cmd_geocode_apply(args: argparse.Namespace) -> int:
    from geo.geocoder_review import apply_geocode_review

    inputs = _inputs(args)
    applied = apply_geocode_review(Path(args.sheet), inputs)
    n = len(applied)
    print(f"applied {args.sheet}: {n} coordinate{'s' * (n != 1)} written to places.csv")
    for a in applied:
        print(f"  {a.id}: ({a.lon:.6f}, {a.lat:.6f}) {a.precision}, {a.district_zh}")
    return 0 if args.no_build or not applied else _rebuild(args, inputs)


def _add_apply_parser(
    subparsers: Any, help_text: str, sheet_help: str, func: Callable[[argparse.Namespace], int]
) -> None:
    """Add an ``apply SHEET [--out DIR] [--no-build]`` command (a review step)."""
    p = subparsers.add_parser("apply", help=help_text)
    p.add_argument("sheet", help=sheet_help)
    p.add_argument("--out", help="build folder (default: DATA_DIR/build)")
    p.add_argument("--no-build", action="store_true", help="apply only, do not rebuild")
    p.set_defaults(func=func)


def make_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``innovation-map`` command."""
    parser = argparse.ArgumentParser(
        prog="innovation-map",
        description="Shanghai innovation map: build the data from the reports, export it, serve the map.",
    )
    parser.add_argument(
        "--data-dir",
        default=str(settings.DATA_DIR),
        help="input data folder (default: %(default)s)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build data/build/ from the reports and gazetteer")
    p.add_argument(
        "--out", default=str(settings.BUILD_DIR), help="output folder (default: %(default)s)"
    )
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("check", help="validate every input and the places, writing nothing")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("candidates", help="list place-like names the gazetteer does not cover")
    p.add_argument("--limit", type=int, default=0, help="show at most N (default: all)")
    p.set_defaults(func=_cmd_candidates)

    p = sub.add_parser(
        "stats", help="the data's numbers as Markdown (places per category, district, precision)"
    )
    p.add_argument(
        "--readme", help="rewrite the generated block in this README instead of printing"
    )
    p.set_defaults(func=_cmd_stats)

    p = sub.add_parser(
        "export",
        help="export places (or another collection) as the map filters them; the format "
        "follows OUT's suffix (" + " ".join(f.suffix for f in FORMATS.values()) + ")",
    )
    p.add_argument("out", nargs="?", help="output file, e.g. pudong.geojson")
    p.add_argument(
        "--package",
        metavar="DIR",
        help="instead of OUT: every layer (CSV, GeoJSON, one GeoPackage) and a Frictionless "
        "datapackage.json in the new folder DIR, for an open-data portal",
    )
    p.add_argument(
        "--collection",
        choices=COLLECTIONS,
        default="places",
        help="what to export (default: %(default)s)",
    )
    p.add_argument("--district", action="append", help="district (浦东新区 or Pudong); repeatable")
    p.add_argument("--category", action="append", help="category (e.g. facility); repeatable")
    p.add_argument("--year", action="append", help="report year (e.g. 2025); repeatable")
    p.add_argument(
        "--status", action="append", help="status (in the --year report if given); repeatable"
    )
    p.add_argument("--layers", action="append", help="map layer id (e.g. facility); repeatable")
    p.add_argument("--bbox", help="min lon,min lat,max lon,max lat (WGS-84)")
    p.add_argument("--q", help="text in Chinese or English names and aliases")
    p.add_argument(
        "--unplaced",
        action="store_true",
        help="also places without a point (name or district only)",
    )
    p.add_argument("--excel", action="store_true", help=EXCEL_PARAM.description)
    p.add_argument("--crs", metavar="CRS", help=CRS_PARAM.description)
    p.add_argument(
        "--view",
        default="",
        help="the map's URL parameters instead, e.g. 'year=2025&district=Pudong'",
    )
    p.add_argument(
        "--build-dir", default=str(settings.BUILD_DIR), help="build folder (default: %(default)s)"
    )
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser(
        "publish",
        help="write every layer, its metadata and spatial indexes into a PostGIS schema "
        "(one transaction: a rerun replaces it, a failure leaves the old one)",
    )
    p.add_argument("dsn", help="database, e.g. postgresql://user@localhost/gis")
    p.add_argument(
        "--schema", default="innovation_map", help="schema to (re)place (default: %(default)s)"
    )
    p.add_argument(
        "--build-dir", default=str(settings.BUILD_DIR), help="build folder (default: %(default)s)"
    )
    p.set_defaults(func=_cmd_publish)

    view_help = "the map's URL state, e.g. 'lang=en&layers=facility,hubs&year=2025' (default: the default view)"
    p = sub.add_parser("html", help="write the map as one self-contained HTML file (works offline)")
    p.add_argument("out", help="output file, e.g. map.html")
    p.add_argument("--view", default="", help=view_help)
    p.add_argument(
        "--build-dir", default=str(settings.BUILD_DIR), help="build folder (default: %(default)s)"
    )
    p.set_defaults(func=_cmd_html)

    for fmt, what in (
        ("png", "a PNG of the map for slides"),
        ("pdf", "a one-page vector PDF of the map for print (the PNG's layout)"),
    ):
        p = sub.add_parser(fmt, help=f"write {what} (title, labels, legend, scale bar, source)")
        p.add_argument("out", help=f"output file, e.g. map.{fmt}")
        p.add_argument("--view", default="", help=view_help)
        p.add_argument("--width", type=int, default=1920, help="CSS pixels")
        p.add_argument("--height", type=int, default=1080, help="CSS pixels")
        if fmt == "png":
            p.add_argument("--scale", type=float, default=2, help="pixel ratio: 1, 1.5, 2 or 3")
        p.add_argument(
            "--engine",
            choices=("auto", "chromium", "matplotlib"),
            default="auto",
            help="auto: Chromium when installed, else matplotlib",
        )
        p.add_argument(
            "--build-dir",
            default=str(settings.BUILD_DIR),
            help="build folder (default: %(default)s)",
        )
        p.set_defaults(func=_cmd_png)

    p = sub.add_parser(
        "add-report",
        help="add a new report (.pdf .docx .html .md .txt): its text, manifest entry and review sheet",
    )
    p.add_argument("file", help="the report document, e.g. 2026上海科技进步报告.pdf")
    p.add_argument("--year", type=int, required=True, help="the year the report covers")
    p.add_argument("--title", help="Chinese title (default: its first heading or line)")
    p.add_argument("--title-en", help="English title (default: Shanghai S&T Progress Report YEAR)")
    p.add_argument("--id", help="report id and file name (default: YEAR_st_progress_report)")
    p.add_argument("--url", help="where the document was published")
    p.add_argument("--publisher", help="publisher (default: that of the newest report)")
    p.add_argument(
        "--kind",
        default="progress_report",
        choices=REPORT_KINDS,
        help="what the document is (default: %(default)s); a five_year_plan is read in the future "
        "tense",
    )
    p.add_argument("--sheet", help="review sheet to write (default: DATA_DIR/reviews/ID.csv)")
    p.set_defaults(func=_cmd_add_report)

    p = sub.add_parser("review", help="apply a review sheet to the gazetteer")
    review = p.add_subparsers(dest="review_command", required=True)
    _add_apply_parser(
        review,
        "apply a review sheet's decisions to places.csv and excluded.csv (all checked first, "
        "nothing written on any problem), then rebuild",
        "the review sheet (CSV) written by add-report",
        _cmd_review_apply,
    )

    p = sub.add_parser(
        "geocode",
        help="propose coordinates from an online geocoder (needs network and, for Amap or "
        "Tianditu, a key), then apply the ones a curator accepted",
    )
    geocode = p.add_subparsers(dest="geocode_command", required=True)
    p = geocode.add_parser(
        "propose",
        help="ask a geocoder about the places without a point of their own (or --ids) and write "
        "a review sheet; never changes the gazetteer",
    )
    p.add_argument("--service", required=True, choices=SERVICES)
    p.add_argument(
        "--ids",
        action="append",
        metavar="ID[,ID…]",
        help="only these places (repeatable; a curated point is then checked, never replaced)",
    )
    p.add_argument("--sheet", help="sheet to write (default: DATA_DIR/reviews/geocode-SERVICE.csv)")
    p.add_argument(
        "--cache-dir", help="raw answers cache (default: DATA_DIR/reviews/geocode-cache)"
    )
    p.add_argument(
        "--base-url", help="the service endpoint (default: INNOVATION_MAP_<SERVICE>_URL or its own)"
    )
    p.add_argument(
        "--delay", type=float, help="seconds between requests (default: the provider's policy)"
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=TIMEOUT_SECONDS,
        help="seconds per request (default: %(default)s)",
    )
    p.set_defaults(func=_cmd_geocode_propose)
    _add_apply_parser(
        geocode,
        "write a reviewed sheet's accepted proposals into places.csv (all checked first, "
        "nothing written on any problem; a curated coordinate is never replaced), then rebuild",
        "the sheet written by `geocode propose`, with decisions",
        _cmd_geocode_apply,
    )

    p = sub.add_parser(
        "serve", help="serve the map (development server, or --prod: nginx in front of gunicorn)"
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument(
        "--prod", action="store_true", help="production: nginx (from the system) + gunicorn"
    )
    p.add_argument(
        "--no-nginx",
        action="store_true",
        help="with --prod: gunicorn alone on HOST:PORT, for your own proxy (see README)",
    )
    p.add_argument("--quiet", action="store_true", help="no access log")
    p.add_argument("--workers", type=int, default=0, help="gunicorn workers (default 2×CPUs+1)")
    p.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    p.add_argument(
        "--build-dir", default=str(settings.BUILD_DIR), help="build folder (default: %(default)s)"
    )
    p.set_defaults(func=_cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; bad input prints a clear message and returns a non-zero status."""
    args = make_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
