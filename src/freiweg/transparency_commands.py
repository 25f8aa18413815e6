"""The transparency commands: verify, witness, sign, disclosure, release and log.

`freiweg verify` and `freiweg witness` need only the base install (typer, httpx, cryptography);
the operator commands import the server modules inside their functions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn
from urllib.parse import urlsplit

import httpx
import typer

from freiweg.domain.errors import Conflict, InvalidInput, NotFound
from freiweg.transparency.verify import VerificationFailed, VerifierMemory, verify_log

if TYPE_CHECKING:
    from freiweg.services.registry import Services

disclosure_app = typer.Typer(
    help="Per-sensor disclosures: list, draft, edit, publish, show, history.", no_args_is_help=True
)
release_app = typer.Typer(help="Edge software releases by code hash.", no_args_is_help=True)
log_app = typer.Typer(
    help="The transparency log: keys, witnesses, purposes, staff access, self-check.", no_args_is_help=True
)


def fail(message: str) -> NoReturn:
    """Print what went wrong and exit with status 1."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(1)


@contextmanager
def opened() -> Iterator[Services]:
    """Services on the configured database, closed afterwards."""
    from freiweg.bootstrap import build_services
    from freiweg.settings import Settings

    built = build_services(Settings())
    try:
        yield built
    except InvalidInput as error:
        typer.secho(f"error: {error.title}", err=True, fg=typer.colors.RED)
        for p in error.problems:
            typer.echo(f"  {p.field}: {p.message}", err=True)
        raise typer.Exit(1) from None
    except (NotFound, Conflict) as error:
        fail(str(error))
    finally:
        built.database.dispose()


def http_client(base_url: str) -> httpx.Client:
    """The HTTP client the verifier and the witness use."""
    return httpx.Client(base_url=base_url.rstrip("/"), timeout=30.0, follow_redirects=True)


class HttpLogSource:
    """Reads a freiweg log over HTTP; any failed request becomes a plain VerificationFailed."""

    def __init__(self, base_url: str) -> None:
        self._client = http_client(base_url)

    def _get(self, path: str) -> httpx.Response:
        try:
            response = self._client.get(path)
        except httpx.HTTPError as error:
            raise VerificationFailed(
                f"could not reach the log at {self._client.base_url}: {error}"
            ) from error
        if response.status_code != 200:
            raise VerificationFailed(f"the server answered {response.status_code} for {path}")
        return response

    def text(self, path: str) -> str:
        """The body of a text resource."""
        return self._get(path).text

    def json(self, path: str) -> Any:
        """The decoded body of a JSON resource."""
        try:
            return self._get(path).json()
        except ValueError as error:
            raise VerificationFailed(f"the server sent something that is not JSON for {path}") from error

    def post_text(self, path: str, body: str) -> httpx.Response:
        """POST a text body."""
        return self._client.post(path, content=body.encode(), headers={"Content-Type": "text/plain"})

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()


def default_state(url: str, kind: str) -> Path:
    """Where a verifier or witness remembers a log between runs: ~/.freiweg/<kind>/<host>.json."""
    host = urlsplit(url).netloc.replace(":", "_") or "log"
    return Path.home() / ".freiweg" / kind / f"{host}.json"


def read_memory(path: Path) -> VerifierMemory:
    """The remembered key and checkpoint, or an empty memory."""
    if not path.exists():
        return VerifierMemory()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        fail(f"cannot read the remembered checkpoint in {path}; delete the file to start afresh")
    return VerifierMemory(data.get("log_key"), data.get("checkpoint"))


def write_memory(path: Path, memory: VerifierMemory) -> None:
    """Remember the key and checkpoint for the next run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(memory.as_dict(), indent=2) + "\n", encoding="utf-8")


def verify(
    url: Annotated[str, typer.Argument(help="Address of a freiweg server, e.g. https://freiweg.example.org")],
    state: Annotated[
        Path | None,
        typer.Option(help="File that remembers the last checkpoint (default ~/.freiweg/verify/)."),
    ] = None,
    key: Annotated[str | None, typer.Option(help="Trust only this verifier key (<name>+<id>+<key>).")] = None,
    entry: Annotated[
        list[int] | None, typer.Option(help="Also prove this entry's inclusion (repeatable).")
    ] = None,
    hash_: Annotated[
        list[str] | None,
        typer.Option("--hash", help="Find and prove the entry holding this hash, e.g. a dataset."),
    ] = None,
    witness_key: Annotated[
        list[str] | None, typer.Option(help="Require a valid cosignature by this witness key (repeatable).")
    ] = None,
    quick: Annotated[
        bool, typer.Option("--quick", help="Skip recomputing the tree from every entry.")
    ] = False,
) -> None:
    """Check a freiweg log: signature, consistency with the last check, every entry; exit 1 on any failure."""
    from freiweg.services.note_keys import ed25519_verify

    path = state or default_state(url, "verify")
    memory = read_memory(path)
    source = HttpLogSource(url)
    try:
        report = verify_log(
            source,
            memory=memory,
            verify=ed25519_verify,
            pinned_key=key,
            witness_keys=witness_key or [],
            entries=entry or [],
            hashes=hash_ or [],
            audit=not quick,
        )
    except VerificationFailed as error:
        typer.secho(f"FAILED: {error}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None
    finally:
        source.close()
    write_memory(path, report.memory)
    for note in report.notes:
        typer.echo(f"ok: {note}")
    typer.secho(
        f"verified: {report.checkpoint.origin} at {report.checkpoint.size} entries", fg=typer.colors.GREEN
    )


def witness(
    url: Annotated[str, typer.Argument(help="Address of the freiweg server to witness.")],
    key: Annotated[str, typer.Option(help="The witness's private cosignature key (text or file).")],
    state: Annotated[
        Path | None, typer.Option(help="File that remembers the last cosigned checkpoint.")
    ] = None,
    log_key: Annotated[str | None, typer.Option(help="Trust only this log verifier key.")] = None,
    submit: Annotated[bool, typer.Option(help="Send the cosignature to the log.")] = True,
    quick: Annotated[
        bool, typer.Option("--quick", help="Skip recomputing the tree from every entry.")
    ] = False,
) -> None:
    """Check that the log only grew since the last visit, then cosign its checkpoint (C2SP cosignature/v1)."""
    from freiweg.services.note_keys import COSIGNATURE_V1, ed25519_verify, signer_from_text
    from freiweg.transparency.checkpoints import NoteError, cosign

    try:
        signer = signer_from_text(key, key_type=COSIGNATURE_V1)
    except (NoteError, ValueError, OSError) as error:
        fail(f"the witness key is not usable: {error}; make one with `freiweg log keygen NAME --witness`")
    path = state or default_state(url, "witness")
    source = HttpLogSource(url)
    try:
        report = verify_log(
            source, memory=read_memory(path), verify=ed25519_verify, pinned_key=log_key, audit=not quick
        )
        text = report.memory.checkpoint or ""
        timestamp = int(datetime.now(UTC).timestamp())
        line = cosign(text, signer.name, signer.public_key, timestamp, signer.sign).line()
        if submit:
            note = source.text("/api/v1/log/checkpoint")
            answer = source.post_text("/api/v1/log/cosignatures", note + line)
            if answer.status_code != 200:
                fail(f"the log did not accept the cosignature ({answer.status_code}): {answer.text}")
    except VerificationFailed as error:
        typer.secho(f"FAILED, not cosigned: {error}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None
    finally:
        source.close()
    write_memory(path, report.memory)
    typer.echo(line, nl=False)
    typer.secho(
        f"cosigned {report.checkpoint.origin} at {report.checkpoint.size} entries", fg=typer.colors.GREEN
    )


def sign(
    sensor_id: Annotated[str, typer.Argument(metavar="SENSOR")],
    size: Annotated[str, typer.Option(help="Paper size: A4 or A5.")] = "A4",
    out: Annotated[Path, typer.Option(help="Folder to write the PDF and PNG into.")] = Path("."),
) -> None:
    """Write a sensor's on-site sign as PDF and PNG: purpose, operator, QR code to its page, DE and EN."""
    from freiweg.web.signs import PAPER_SIZES, write_sign

    paper = size.upper()
    if paper not in PAPER_SIZES:
        fail(f"unknown size {size!r}; use A4 or A5")
    with opened() as services:
        page = services.transparency.sensor_page(sensor_id)
        base = services.settings.public_url.rstrip("/")
        written = write_sign(page, url=f"{base}/sensors/{sensor_id}", paper=paper, folder=out)
    for path in written:
        typer.echo(str(path))


@disclosure_app.command("list")
def disclosure_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List every sensor's disclosure: draft or published, its version and when."""
    with opened() as services:
        rows = services.transparency.disclosures.overview()
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        version = f"v{r['version']}" if r["version"] else "-"
        saved = f" (draft saved by {r['draft_saved_by']})" if r["draft_saved_by"] else ""
        typer.echo(f"{r['sensor']:24} {r['status']:10} {version:5}{saved}")


@disclosure_app.command("draft")
def disclosure_draft(sensor_id: Annotated[str, typer.Argument(metavar="SENSOR")]) -> None:
    """Print the working draft as JSON (saved draft, else the published version, else generated)."""
    with opened() as services:
        document = services.transparency.disclosures.working_draft(sensor_id).document
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))


@disclosure_app.command("edit")
def disclosure_edit(
    sensor_id: Annotated[str, typer.Argument(metavar="SENSOR")],
    changes: Annotated[
        list[str],
        typer.Option(
            "--set",
            metavar="FIELD=TEXT",
            help="A field to change, e.g. purpose.de='...'; repeat for more (see `disclosure fields`).",
        ),
    ],
    by: Annotated[str, typer.Option(help="Who edits (kept with the draft).")] = "command line",
) -> None:
    """Change fields of the sensor's draft without publishing it; an invalid draft is refused whole."""
    fields: dict[str, str] = {}
    for change in changes:
        name, sep, value = change.partition("=")
        if not sep:
            fail(f"--set {change!r}: write FIELD=TEXT")
        fields[name.strip()] = value
    with opened() as services:
        services.transparency.disclosures.save_draft(sensor_id, fields, by=by)
    typer.echo(f"draft of {sensor_id} saved ({len(fields)} field(s)); not public until published")


@disclosure_app.command("fields")
def disclosure_fields() -> None:
    """List the fields `disclosure edit --set` changes, purpose first."""
    from freiweg.services.disclosures import EDITABLE_FIELDS

    for name in EDITABLE_FIELDS:
        typer.echo(name)


@disclosure_app.command("discard")
def disclosure_discard(sensor_id: Annotated[str, typer.Argument(metavar="SENSOR")]) -> None:
    """Throw the saved draft away; the published version stays."""
    with opened() as services:
        found = services.transparency.disclosures.discard_draft(sensor_id)
    typer.echo(f"draft of {sensor_id} discarded" if found else f"{sensor_id} has no saved draft")


@disclosure_app.command("history")
def disclosure_history(
    sensor_id: Annotated[str, typer.Argument(metavar="SENSOR")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every published version, newest first, with its hash and log entry."""
    with opened() as services:
        services.transparency.disclosures.working_draft(sensor_id)  # an unknown sensor is an error
        versions = services.transparency.disclosures.versions(sensor_id)
    rows = [
        {
            "version": v.version,
            "published_at": datetime.fromtimestamp(v.published_at, UTC).isoformat(),
            "sha256": v.sha256,
            "log_seq": v.log_seq,
        }
        for v in versions
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        typer.echo(f"v{r['version']:<4} {r['published_at']}  log entry {r['log_seq']}  sha256 {r['sha256']}")


@disclosure_app.command("publish")
def disclosure_publish(
    sensor_id: Annotated[str | None, typer.Argument(metavar="SENSOR", help="Omit with --all.")] = None,
    file: Annotated[Path | None, typer.Option(help="Disclosure JSON (default: the draft).")] = None,
    all_missing: Annotated[
        bool, typer.Option("--all", help="Publish drafts for every sensor without one.")
    ] = False,
) -> None:
    """Publish a new disclosure version; it is logged in the same transaction."""
    if all_missing:
        with opened() as services:
            published = services.transparency.disclosures.publish_missing()
        typer.echo(f"published {len(published)} disclosure(s): {', '.join(published) or '-'}")
        return
    if sensor_id is None:
        fail("name a SENSOR or use --all")
    document = None
    if file is not None:
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            fail(f"cannot read {file}: {error}")
    with opened() as services:
        result = services.transparency.disclosures.publish(sensor_id, document)
    typer.echo(f"published {sensor_id} version {result.version} (sha256 {result.sha256})")


@disclosure_app.command("show")
def disclosure_show(sensor_id: Annotated[str, typer.Argument(metavar="SENSOR")]) -> None:
    """Print the newest published disclosure with its version and hash."""
    with opened() as services:
        current = services.transparency.disclosures.current(sensor_id)
    if current is None:
        fail(f"sensor {sensor_id!r} has no published disclosure; see `freiweg disclosure draft {sensor_id}`")
    typer.echo(
        json.dumps(
            {"version": current.version, "sha256": current.sha256, "document": current.document},
            indent=2,
            ensure_ascii=False,
        )
    )


@release_app.command("add")
def release_add(
    version: Annotated[str, typer.Argument()],
    code_sha256: Annotated[str, typer.Argument(metavar="SHA256", help="SHA-256 of the release's code.")],
    notes: Annotated[str, typer.Option(help="What changed.")] = "",
) -> None:
    """Log an edge software release by its code hash."""
    with opened() as services:
        seq = services.transparency.releases.add(version, code_sha256, notes)
    typer.echo(f"logged release {version} ({code_sha256}) as log entry {seq}")


@release_app.command("list")
def release_list() -> None:
    """List the logged releases."""
    with opened() as services:
        for release in services.transparency.releases.releases():
            typer.echo(f"{release['version']}\t{release['code_sha256']}\t{release['notes']}")


@release_app.command("check")
def release_check() -> None:
    """List sensors whose reported software is not a logged release; exit 1 if there is any."""
    with opened() as services:
        alerts = services.transparency.releases.alerts()
    for alert in alerts:
        typer.echo(f"{alert.sensor_id}: runs {alert.reported_sha256}, which is not in the log")
    if alerts:
        raise typer.Exit(1)
    typer.echo("every reporting sensor runs a logged release")


@log_app.command("keygen")
def log_keygen(
    name: Annotated[str, typer.Argument(help="Key name: the log origin, or the witness's name.")],
    witness_key: Annotated[bool, typer.Option("--witness", help="Make a cosignature (witness) key.")] = False,
) -> None:
    """Print a new Ed25519 private key (keep it secret) and, on stderr, its public verifier key."""
    from freiweg.services.note_keys import COSIGNATURE_V1, ED25519, new_key_text, signer_from_text

    text = new_key_text(name, key_type=COSIGNATURE_V1 if witness_key else ED25519)
    typer.echo(text)
    typer.echo(f"verifier key: {signer_from_text(text).verifier_key.text()}", err=True)


@log_app.command("show")
def log_show(limit: Annotated[int, typer.Option(help="How many of the newest entries.")] = 20) -> None:
    """Print the log's key, its newest checkpoint and its newest entries."""
    with opened() as services:
        center = services.transparency
        typer.echo(f"key: {center.log.key_text()}")
        typer.echo(center.log.checkpoint())
        size = center.log.tree().size
        for item in center.log.entries(max(0, size - limit), size) if size else []:
            typer.echo(f"{item['index']}\t{item['kind']}\t{item['subject']}")


@log_app.command("check")
def log_check() -> None:
    """Recompute the stored log and compare it with the newest signed checkpoint; exit 1 if they differ."""
    with opened() as services:
        status = services.transparency.log.status()
    if not status.intact:
        fail(f"the stored log does not match its signed checkpoint: {status.problem}")
    typer.echo(f"ok: {status.size} entries, {status.signed_size} covered by the newest signed checkpoint")


@log_app.command("witness-add")
def log_witness_add(
    name: Annotated[str, typer.Argument()],
    key: Annotated[str, typer.Argument(help="The witness's verifier key (<name>+<id>+<key>).")],
) -> None:
    """Register an independent witness whose cosignatures the log accepts and shows."""
    with opened() as services:
        services.transparency.log.add_witness(name, key)
    typer.echo(f"witness {name} registered")


@log_app.command("purpose-add")
def log_purpose_add(
    purpose_id: Annotated[str, typer.Argument(metavar="ID")],
    de: Annotated[str, typer.Option("--de", help="The purpose in German.")],
    en: Annotated[str, typer.Option("--en", help="The purpose in English.")],
    scope: Annotated[list[str], typer.Option(help="Kind of non-public data it opens (repeatable).")],
) -> None:
    """Add a purpose to the register that staff must name to reach non-public data."""
    with opened() as services:
        services.transparency.access.add_purpose(purpose_id, name_de=de, name_en=en, scopes=scope)
    typer.echo(f"purpose {purpose_id} registered")


@log_app.command("access")
def log_access(
    role: Annotated[str, typer.Option(help="The staff role, e.g. analyst.")],
    purpose: Annotated[str, typer.Option(help="A registered purpose id.")],
    scope: Annotated[str, typer.Option(help="What is opened, e.g. minute_counts:domplatz-1.")],
) -> None:
    """Record a staff access to non-public data under a declared purpose; refused if not registered."""
    with opened() as services:
        grant = services.transparency.access.record(role=role, purpose_id=purpose, scope=scope)
    typer.echo(f"access logged as entry {grant.log_seq}: {grant.role} / {grant.purpose_id} / {grant.scope}")


def register(app: typer.Typer) -> None:
    """Add the transparency commands to the `freiweg` command."""
    app.command()(verify)
    app.command()(witness)
    app.command()(sign)
    app.add_typer(disclosure_app, name="disclosure")
    app.add_typer(release_app, name="release")
    app.add_typer(log_app, name="log")
