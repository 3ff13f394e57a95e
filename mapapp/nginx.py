"""nginx in front of gunicorn (``innovation-map serve --prod``): its config, files and process.

nginx comes from the system (Debian: ``apt-get install nginx-light``). Everything it needs is in
one run folder made for this run (config, pid file, error log, temporary and cache folders,
gunicorn's socket, the vendored assets with their ``.gz`` twins); it is removed at the end,
and folders of runs that were killed are removed at the next start. Run as root, nginx's
workers run as ``nobody``, so the folder is world-readable (it holds nothing secret).
"""

from __future__ import annotations

import contextlib
import ctypes
import gzip
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from geo.errors import GeoError
from layers.assets import VENDOR_DIR

TEMPLATES = Path(__file__).parent / "templates"
VENDOR = VENDOR_DIR  # the map page's vendored assets (layers/static/vendor)
#: Suffixes worth a precompressed twin (images and fonts are compressed already).
COMPRESSIBLE = (".js", ".css", ".svg", ".json", ".map", ".html", ".txt", ".ttf", ".eot", ".md")
_PREFIX = "innovation-map-nginx-"


@dataclass(frozen=True)
class Stack:
    """The files of one nginx + gunicorn run."""

    dir: Path
    conf: Path
    socket: Path

    @property
    def pid_file(self) -> Path:
        """Return nginx's pid file."""
        return self.dir / "nginx.pid"


def find_nginx() -> str:
    """Return the nginx binary; a GeoError with the install command when there is none."""
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )
    if not found:
        msg = (
            "serve --prod runs nginx in front of gunicorn, and nginx is not installed: "
            "sudo apt-get install nginx-light (or run `gunicorn mapapp.wsgi:app` behind "
            "your own proxy, see README)"
        )
        raise GeoError(msg)
    return found


def _pid_of(folder: Path) -> int | None:
    try:
        return int(folder.name.removeprefix(_PREFIX).split("-")[0])
    except ValueError:
        return None


def remove_stale(parent: Path | None = None) -> None:
    """Remove run folders whose ``serve --prod`` process is gone (killed runs)."""
    for folder in Path(parent or tempfile.gettempdir()).glob(_PREFIX + "*"):
        pid = _pid_of(folder)
        if pid is None or pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:
            pass


def precompress(source: Path, target: Path) -> int:
    """Copy ``source`` to ``target`` with a ``.gz`` beside each compressible file; return how many."""
    count = 0
    for path in source.rglob("*"):
        if not path.is_file():
            continue
        out = target / path.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, out)
        if path.suffix in COMPRESSIBLE:
            body = path.read_bytes()
            packed = gzip.compress(body, compresslevel=9, mtime=0)
            if len(packed) < len(body):
                out.with_name(out.name + ".gz").write_bytes(packed)
                count += 1
    return count


def prepare(
    host: str, port: int, *, workers: int = 2, cache_mb: int = 256, access_log: bool = False
) -> Stack:
    """Write the run folder of one stack: config, folders, precompressed assets."""
    remove_stale()
    folder = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-"))
    folder.chmod(0o755)  # nginx's workers (nobody) read the assets and reach the socket
    for sub in ("tmp/client_body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi", "cache"):
        (folder / sub).mkdir(parents=True)
    user = None
    if os.geteuid() == 0:
        user = "nobody nogroup"
        nobody = _uid("nobody")
        for sub in ("tmp", "cache"):
            for path in [folder / sub, *(folder / sub).rglob("*")]:
                os.chown(path, nobody, -1)
    precompress(VENDOR, folder / "static" / "vendor")
    listen = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined)
    text = env.get_template("nginx.conf").render(
        dir=folder,
        socket=folder / "gunicorn.sock",
        static=folder / "static",
        listen=listen,
        workers=workers,
        user=user,
        cache_mb=cache_mb,
        access_log="/dev/stdout" if access_log else "off",
    )
    conf = folder / "nginx.conf"
    conf.write_text(text, encoding="utf-8")
    return Stack(dir=folder, conf=conf, socket=folder / "gunicorn.sock")


def _uid(name: str) -> int:
    import pwd

    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        return 65534


def _die_with_parent() -> None:
    """Linux: nginx gets SIGTERM if the process that started it dies (even by SIGKILL)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _command(stack: Stack) -> list[str]:
    nginx = find_nginx()
    return [nginx, "-p", f"{stack.dir}/", "-c", str(stack.conf), "-e", str(stack.dir / "error.log")]


def check(stack: Stack) -> None:
    """Have nginx test the generated config; a GeoError quoting nginx when it refuses it."""
    result = subprocess.run(
        [*_command(stack), "-t", "-q"], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        msg = f"nginx refuses the generated config {stack.conf}: {result.stderr.strip()}"
        raise GeoError(msg)


def start(stack: Stack) -> subprocess.Popen[bytes]:
    """Start nginx in the foreground of a child process (which dies with this one)."""
    return subprocess.Popen(
        [*_command(stack), "-g", "daemon off;"],
        # The gunicorn arbiter runs no threads, so preexec_fn is safe here.
        preexec_fn=_die_with_parent,
        stdin=subprocess.DEVNULL,
    )


def stop(proc: subprocess.Popen[bytes], stack: Stack, *, timeout: float = 10) -> None:
    """Stop nginx gracefully (SIGQUIT: finish the requests under way), then remove the folder."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    shutil.rmtree(stack.dir, ignore_errors=True)
