"""The ``innovation-map`` command: build, export, check, candidates, serve."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from geo import settings
from geo.errors import GeoError
from geo.formats import FORMATS, format_for
from geo.pipeline import Inputs, build, run_pipeline, summary
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


def _cmd_export(args: argparse.Namespace) -> int:
    from werkzeug.datastructures import MultiDict

    from mapapp.app import load_map_data
    from mapapp.errors import MapAppError
    from mapapp.exports import collection_frame, parse_query

    out = Path(args.out)
    fmt = format_for(out)  # a clear error for an unknown suffix, before any work
    data = load_map_data(Path(args.build_dir))
    # The options are the URL parameters, so the file holds what the same URL downloads.
    query_args = MultiDict(parse_qsl(args.view.lstrip("?"))) if args.view else MultiDict()
    for name in ("layers", "district", "category", "year", "status"):
        for value in getattr(args, name) or []:
            query_args.add(name, value)
    for name in ("bbox", "q"):
        if getattr(args, name):
            query_args[name] = getattr(args, name)
    if args.unplaced:
        query_args["unplaced"] = "1"
    try:
        query = parse_query(data, query_args)
    except MapAppError as exc:
        raise GeoError(f"--{exc.user_msg}") from None
    chosen = collection_frame(data, args.collection, query)
    # The build's metadata (its date, not the export's), plus what was asked.
    metadata = {**data.metadata, "collection": args.collection, "filters": query.as_params()}
    out.parent.mkdir(parents=True, exist_ok=True)
    # Write into a temporary folder beside OUT, then move every file: OUT is never half-written.
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".export-") as tmp:
        written = fmt.write(
            chosen, Path(tmp) / out.name, metadata, args.collection, {"excel": args.excel}
        )
        for path in written:
            path.replace(out.parent / path.name)
    extra = f" (metadata in {out.stem}.metadata.json)" if len(written) > 1 else ""
    print(f"wrote {len(chosen)} {args.collection} to {out}{extra}")
    return 0


def _view_and_pages(args: argparse.Namespace) -> tuple[Any, dict[Any, str], dict[str, Any]]:
    from werkzeug.datastructures import MultiDict

    from layers.basemaps import basemaps
    from mapapp import core, pages
    from mapapp.app import load_map_data
    from mapapp.errors import MapAppError

    data = load_map_data(Path(args.build_dir))
    view_args = MultiDict(parse_qsl(args.view.lstrip("?")))
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
    from mapapp import pages

    _, rendered, state = _view_and_pages(args)
    html = pages.offline_page(rendered[state["view"]["lang"]], args.view.lstrip("?"))
    _write_atomically(Path(args.out), html.encode("utf-8"))
    print(f"wrote {args.out} ({len(html) / 1e6:.1f} MB, opens offline from file://)")
    return 0


def _cmd_png(args: argparse.Namespace) -> int:
    from mapapp import pages
    from mapapp.errors import MapAppError

    data, rendered, state = _view_and_pages(args)
    lang = state["view"]["lang"]
    try:
        body, engine = pages.png(
            data,
            rendered[lang],
            args.view.lstrip("?"),
            dict(state["args"]),
            lang=lang,
            width=args.width,
            height=args.height,
            scale=args.scale,
            engine=args.engine,
        )
    except MapAppError as exc:
        raise GeoError(exc.user_msg) from None
    _write_atomically(Path(args.out), body)
    print(f"wrote {args.out} ({args.width}×{args.height} at {args.scale}×, drawn by {engine})")
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
    p.add_argument("out", help="output file, e.g. pudong.geojson")
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
    p.add_argument("--excel", action="store_true", help="CSV: add a byte-order mark for Excel")
    p.add_argument(
        "--view",
        default="",
        help="the map's URL parameters instead, e.g. 'year=2025&district=Pudong'",
    )
    p.add_argument(
        "--build-dir", default=str(settings.BUILD_DIR), help="build folder (default: %(default)s)"
    )
    p.set_defaults(func=_cmd_export)

    view_help = "the map's URL state, e.g. 'lang=en&layers=facility,hubs&year=2025' (default: the default view)"
    p = sub.add_parser("html", help="write the map as one self-contained HTML file (works offline)")
    p.add_argument("out", help="output file, e.g. map.html")
    p.add_argument("--view", default="", help=view_help)
    p.add_argument(
        "--build-dir", default=str(settings.BUILD_DIR), help="build folder (default: %(default)s)"
    )
    p.set_defaults(func=_cmd_html)

    p = sub.add_parser("png", help="write a PNG of the map for slides (title, legend, source)")
    p.add_argument("out", help="output file, e.g. map.png")
    p.add_argument("--view", default="", help=view_help)
    p.add_argument("--width", type=int, default=1920)
    p.add_argument("--height", type=int, default=1080)
    p.add_argument("--scale", type=float, default=2, help="pixel ratio: 1, 1.5, 2 or 3")
    p.add_argument(
        "--engine",
        choices=("auto", "chromium", "matplotlib"),
        default="auto",
        help="auto: Chromium when installed, else matplotlib",
    )
    p.add_argument(
        "--build-dir", default=str(settings.BUILD_DIR), help="build folder (default: %(default)s)"
    )
    p.set_defaults(func=_cmd_png)

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
