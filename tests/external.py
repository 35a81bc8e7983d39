"""Real external tools for integration tests: Apache Jena's riot and a Virtuoso 7 server.

Both come from Debian packages (`libapache-jena-java`, `virtuoso-opensource`; .ci/run installs
them). Tests skip when a tool is missing, unless KG_REQUIRE_INTEGRATION=1 (set by .ci/run),
which turns the skip into a failure so that CI cannot pass without running them.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

JAVA_DIR = Path("/usr/share/java")
# FACTS.md: the Debian folder holds two slf4j bindings, so name the jars riot needs
JENA_JARS = [
    "jena-arq", "jena-base", "jena-core", "jena-iri", "jena-cmds", "jena-shacl", "jena-shex", "jena-tdb", "jena-tdb2",
    "jena-dboe-base", "jena-dboe-index", "jena-dboe-storage", "jena-dboe-trans-data", "jena-dboe-transaction",
    "jena-rdfconnection", "commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io",
    "commons-lang3", "dexx.collection", "gson", "guava", "httpclient", "httpclient-cache", "httpcore", "jackson-core",
    "jackson-databind", "jackson-annotations", "jsonld-java", "jakarta.json-api", "protobuf", "thrift",
    "titanium-json-ld", "slf4j-api", "slf4j-simple",
]
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def missing(tool: str, why: str) -> None:
    """Skip a test for a missing tool, or fail when integration tests are required (CI)."""
    message = f"{tool} is not installed ({why}); .ci/run installs it"
    if os.environ.get("KG_REQUIRE_INTEGRATION") == "1":
        pytest.fail(message)
    pytest.skip(message)


# --- Apache Jena riot -------------------------------------------------------------------------

def jena_classpath(work: Path) -> str:
    """Return a classpath that runs Debian's Jena 4.5 riot, or skip.

    Besides the jars, it holds a small jar of Jena's Xerces `.properties` resources copied to
    `xerces/`, where Debian's relocated Xerces classes look for them (FACTS.md).
    """
    if shutil.which("java") is None:
        missing("java", "default-jre-headless")
    jars = [JAVA_DIR / f"{name}.jar" for name in JENA_JARS]
    absent = [j.name for j in jars if not j.is_file()]
    if absent:
        missing("Apache Jena", f"libapache-jena-java; no {', '.join(absent[:3])}")
    fix = work / "xerces-resources.jar"
    prefix = "org/apache/jena/ext/xerces/"
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as src, zipfile.ZipFile(fix, "w") as out:
        for name in src.namelist():
            if name.startswith(prefix) and name.endswith(".properties"):
                out.writestr("xerces/" + name[len(prefix):], src.read(name))
    return os.pathsep.join([*map(str, jars), str(fix)])


def riot(classpath: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `riot` with arguments; return the finished process (stdout and stderr as text)."""
    return subprocess.run(["java", "-cp", classpath, "riotcmd.riot", *args], capture_output=True, text=True,
                          timeout=300)


# --- Virtuoso 7 -------------------------------------------------------------------------------

def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Virtuoso:
    """A running Virtuoso: its folder, process, SQL port and HTTP base URL."""

    folder: Path
    process: subprocess.Popen[bytes]
    sql_port: int
    http: str

    @property
    def sparql(self) -> str:
        return f"{self.http}/sparql"

    @property
    def graph_store(self) -> str:
        """The authenticated Graph Store endpoint (anonymous writes are refused)."""
        return f"{self.http}/sparql-graph-crud-auth"

    def log_tail(self, lines: int = 20) -> str:
        log = self.folder / "virtuoso.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""

    def stop(self) -> None:
        """Shut down through isql (a clean checkpoint), then kill what is left."""
        if self.process.poll() is None:
            isql = shutil.which("isql-vt") or shutil.which("isql")
            if isql:
                subprocess.run([isql, f"127.0.0.1:{self.sql_port}", "dba", "dba", "exec=shutdown;"],
                               capture_output=True, timeout=60)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def virtuoso_ini(folder: Path, sql_port: int, http_port: int, max_rows: int) -> str:
    """Return Debian's virtuoso.ini adjusted to a private database in `folder` on 127.0.0.1 ports."""
    values = {
        ("Database", "DatabaseFile"): folder / "virtuoso.db", ("Database", "ErrorLogFile"): folder / "virtuoso.log",
        ("Database", "LockFile"): folder / "virtuoso.lck", ("Database", "TransactionFile"): folder / "virtuoso.trx",
        ("Database", "xa_persistent_file"): folder / "virtuoso.pxa",
        ("TempDatabase", "DatabaseFile"): folder / "virtuoso-temp.db",
        ("TempDatabase", "TransactionFile"): folder / "virtuoso-temp.trx",
        ("Parameters", "ServerPort"): f"127.0.0.1:{sql_port}",
        ("Parameters", "DirsAllowed"): f"., {folder}, /usr/share/virtuoso-opensource-7/vad",
        ("HTTPServer", "ServerPort"): f"127.0.0.1:{http_port}",
        ("SPARQL", "ResultSetMaxRows"): max_rows,  # Debian's 10000 cuts results silently (FACTS.md)
    }
    out, section = [], ""
    for line in VIRTUOSO_INI.read_text(encoding="utf-8", errors="replace").splitlines():
        m = re.match(r"\s*\[(.+?)\]", line)
        if m:
            section = m.group(1)
        m = re.match(r"(\s*)(\w+)(\s*=\s*)", line)
        if m and (section, m.group(2)) in values:
            line = f"{m.group(1)}{m.group(2)}{m.group(3)}{values[(section, m.group(2))]}"
        out.append(line)
    return "\n".join(out) + "\n"


def start_virtuoso(folder: Path, max_rows: int = 1_000_000, timeout: float = 120) -> Virtuoso:
    """Start Virtuoso on a fresh database in `folder`; wait until its SPARQL endpoint answers."""
    exe = shutil.which("virtuoso-t")
    if exe is None or not VIRTUOSO_INI.is_file():
        missing("Virtuoso 7", "virtuoso-opensource")
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(folder, sql_port, http_port, max_rows), encoding="utf-8")
    log = open(folder / "stdout.log", "wb")  # noqa: SIM115 (the process writes it while it lives)
    process = subprocess.Popen([exe, "+foreground", "+configfile", str(ini)], cwd=folder, stdout=log,
                               stderr=subprocess.STDOUT)
    log.close()
    server = Virtuoso(folder, process, sql_port, f"http://127.0.0.1:{http_port}")
    deadline = time.monotonic() + timeout
    probe = server.sparql + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Virtuoso exited with {process.returncode}:\n{server.log_tail()}")
        try:
            with opener.open(probe, timeout=5) as r:
                if r.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"Virtuoso did not answer within {timeout:g} s:\n{server.log_tail()}")
