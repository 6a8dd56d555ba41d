"""Run a project's own Alembic through its Python API and answer in JSON.

Run with the project's interpreter:

    python driver.py [-c INI] [-n SECTION] [--version-location DIR ...] [-x KEY=VALUE ...]
                     COMMAND [TARGET]

COMMAND is one of: check, heads, current, upgrade-order, upgrade TARGET, downgrade TARGET, stamp TARGET,
stamp-purge TARGET, render-template, compile, snapshot. Exactly one JSON document is written to stdout; everything else (the
project's logging, print() calls in migrations) goes to stderr.

The database URL is read from the environment variable ALEMBIC_SQUASH_DATABASE_URL (never from
argv, so it does not show up in process listings) and injected where env.py files usually look:
the config's sqlalchemy.url, common environment variables and `-x url=` / `-x sqlalchemy.url=`.

render-template reads `{"template": PATH?, "variables": {...}}` from stdin; compile reads `{"text", "fileName"}`
and answers whether Python compiles it; snapshot reads the
request of snapshot.py from stdin and reads the database at ALEMBIC_SQUASH_DATABASE_URL (no config needed).
In `serve` mode a request's stdin is its "input" field.
Compatible with Alembic 1.8 through 1.16 (features are detected, not assumed).
"""

import argparse
import json
import os
import sys
import traceback

URL_ENV = "ALEMBIC_SQUASH_DATABASE_URL"
URL_ENV_NAMES_ENV = "ALEMBIC_SQUASH_URL_ENV_NAMES"
DRIVER_OVERRIDE_ENV = "ALEMBIC_SQUASH_URL_DRIVER"
DEFAULT_URL_ENV_NAMES = [
    "DATABASE_URL",
    "SQLALCHEMY_DATABASE_URI",
    "SQLALCHEMY_URL",
    "DB_URL",
    "ALEMBIC_DATABASE_URL",
]

# The JSON answer goes to the original stdout; fd 1 is pointed at stderr so that nothing else
# (print() in a migration, a C extension writing to fd 1) can corrupt the document.
_answer = os.fdopen(os.dup(1), "w", encoding="utf-8")
os.dup2(2, 1)
sys.stdout = sys.stderr


# In `serve` mode every answer carries the id of the request it answers, and stdin is the request
# channel: a request's own input comes with it.
_request_id = None
_request_input = None


def read_input():
    return _request_input if _request_input is not None else sys.stdin.read()


def answer(document):
    if _request_id is not None:
        document = dict(document, id=_request_id)
    _answer.write(json.dumps(document, default=str))
    _answer.write("\n")
    _answer.flush()


class Failure(Exception):
    def __init__(self, kind, message, **extra):
        Exception.__init__(self, message)
        self.kind = kind
        self.message = message
        self.extra = extra


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="driver.py")
    parser.add_argument("-c", "--config", dest="config")
    parser.add_argument("-n", "--name", dest="section", default="alembic")
    parser.add_argument("--version-location", dest="version_locations", action="append", default=[])
    parser.add_argument("-x", dest="x", action="append", default=[])
    parser.add_argument("command")
    parser.add_argument("target", nargs="?")
    return parser.parse_args(argv)


def alembic_version():
    import alembic

    return getattr(alembic, "__version__", None)


def with_driver(url, configured):
    """Give `url` the driver part (`+asyncpg`, `+psycopg`, ...) of the project's own URL."""
    override = os.environ.get(DRIVER_OVERRIDE_ENV)
    driver = override if override else None
    if driver is None and configured:
        scheme = configured.split("://", 1)[0] if "://" in configured else ""
        dialect, _, name = scheme.partition("+")
        if dialect in ("postgresql", "postgres") and name:
            driver = name
    rest = url.split("://", 1)[1] if "://" in url else url
    return ("postgresql+%s://" % driver if driver else "postgresql://") + rest


def make_config(args, url):
    from alembic.config import Config

    cmd_opts = argparse.Namespace(x=list(args.x))
    if args.config and args.config.endswith(".toml"):
        try:
            config = Config(toml_file=args.config, ini_section=args.section, cmd_opts=cmd_opts)
        except TypeError:
            raise Failure(
                "config",
                "Alembic %s cannot read pyproject.toml configuration (needs Alembic 1.16 or later)"
                % alembic_version(),
            )
    else:
        config = Config(file_=args.config, ini_section=args.section, cmd_opts=cmd_opts)

    if args.version_locations:
        set_version_locations(config, args.version_locations)

    if url:
        configured = None
        try:
            configured = config.get_main_option("sqlalchemy.url")
        except Exception:
            configured = None
        url = with_driver(url, configured)
        # configparser interpolation treats % specially; percent-encoded passwords need escaping.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
        names = list(DEFAULT_URL_ENV_NAMES)
        extra = os.environ.get(URL_ENV_NAMES_ENV)
        if extra:
            names.extend(n for n in extra.split(",") if n)
        for name in names:
            os.environ[name] = url
        cmd_opts.x.extend(["url=" + url, "sqlalchemy.url=" + url])
    return config


def set_version_locations(config, locations):
    locations = [os.path.abspath(p) for p in locations]
    if hasattr(config, "get_version_locations_list"):
        # Alembic 1.16+: ScriptDirectory.from_config asks the Config for the list.
        config.get_version_locations_list = lambda: list(locations)
        config.set_main_option("version_locations", os.pathsep.join(locations))
    else:
        config.set_main_option("version_path_separator", "os")
        config.set_main_option("version_locations", os.pathsep.join(locations))


def script_directory(config):
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config)


def run_command(config, command, target):
    from alembic import command as alembic_command

    if command == "upgrade":
        alembic_command.upgrade(config, target or "head")
        return {}
    if command == "downgrade":
        if not target:
            raise Failure("usage", "downgrade needs a target revision")
        alembic_command.downgrade(config, target)
        return {}
    if command == "stamp":
        if not target:
            raise Failure("usage", "stamp needs a target revision")
        alembic_command.stamp(config, target)
        return {}
    if command == "stamp-purge":
        # The current row names a revision the history no longer has (a squash replaced it):
        # plain stamp would first have to locate it; purge empties alembic_version first.
        if not target:
            raise Failure("usage", "stamp needs a target revision")
        alembic_command.stamp(config, target, purge=True)
        return {}
    if command == "heads":
        script = script_directory(config)
        return {"heads": sorted(script.get_heads())}
    if command == "current":
        return {"current": current_versions(config)}
    if command == "compare-models":
        return compare_models(config)
    if command == "upgrade-order":
        return {"order": upgrade_order(config)}
    raise Failure("usage", "unknown command %r" % command)


def upgrade_order(config):
    """The revisions in the order `alembic upgrade heads` runs them on an empty database.

    Between branches that order is Alembic's own (it depends on its walk and on the order it listed
    the files), so a squash that merges branches follows it, as the chain did.
    """
    script = script_directory(config)
    try:
        return [step.revision.revision for step in script._upgrade_revs("heads", ())]
    except (AttributeError, TypeError):
        revs = script.revision_map.iterate_revisions("heads", (), implicit_base=True)
        return [r.revision for r in reversed(list(revs))]


def current_versions(config):
    """The rows of alembic_version, read through the project's env.py like `alembic current`."""
    from alembic.runtime.environment import EnvironmentContext

    script = script_directory(config)
    found = []

    def read(heads, context):
        found.extend(heads or ())
        return []

    with EnvironmentContext(config, script, fn=read, dont_mutate=True):
        script.run_env()
    return sorted(found)


def compare_models(config):
    """Alembic's own autogenerate comparison of env.py's target_metadata with the database.

    env.py runs as for `alembic revision --autogenerate`: our fn receives the configured context,
    compares, and returns no migration steps, so nothing is written to the database.
    """
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.environment import EnvironmentContext

    script = script_directory(config)
    out = {"available": False, "differences": []}

    def compare(rev, context):
        metadata = context.opts.get("target_metadata")
        if metadata is None:
            return []
        out["available"] = True
        for md in metadata if isinstance(metadata, (list, tuple)) else [metadata]:
            for diff in compare_metadata(context, md):
                out["differences"].extend(describe_diff(diff))
        return []

    with EnvironmentContext(config, script, fn=compare, dont_mutate=True):
        script.run_env()
    return out


def describe_diff(diff):
    """One of autogenerate's diff tuples (or a list of modify_* tuples) in words."""
    if isinstance(diff, list):
        return [w for d in diff for w in describe_diff(d)]
    kind = diff[0]

    def qualified(schema, name):
        return "%s.%s" % (schema, name) if schema else str(name)

    if kind in ("add_table", "remove_table"):
        t = diff[1]
        where = "the models but not the squashed database" if kind == "add_table" else "the squashed database but not the models"
        return ["table %s is in %s" % (qualified(t.schema, t.name), where)]
    if kind in ("add_column", "remove_column"):
        schema, table, column = diff[1], diff[2], diff[3]
        where = "the models but not the squashed database" if kind == "add_column" else "the squashed database but not the models"
        return ["column %s.%s is in %s" % (qualified(schema, table), column.name, where)]
    if kind in ("add_index", "remove_index", "add_constraint", "remove_constraint", "add_fk", "remove_fk"):
        obj = diff[1]
        what = kind.split("_", 1)[1]
        where = "the models but not the squashed database" if kind.startswith("add") else "the squashed database but not the models"
        table = getattr(getattr(obj, "table", None), "name", None) or getattr(getattr(obj, "parent", None), "name", "")
        return ["%s %s on %s is in %s" % (what, obj.name, table, where)]
    if kind.startswith("modify_"):
        schema, table, column = diff[1], diff[2], diff[3]
        old, new = diff[-2], diff[-1]
        return ["column %s.%s: %s is %s in the squashed database, %s in the models"
                % (qualified(schema, table), column, kind[len("modify_"):], old, new)]
    return [repr(diff)]


def render_template(config):
    """Render script.py.mako as `alembic revision` does (Mako, with the given variables)."""
    from mako.template import Template

    request = json.loads(read_input() or "{}")
    template = request.get("template")
    if not template:
        if config is None:
            raise Failure("usage", "render-template needs a template path or a config")
        template = os.path.join(script_directory(config).dir, "script.py.mako")
    if not os.path.exists(template):
        raise Failure("config", "template not found: %s" % template, file=template)
    variables = {}
    for name, value in (request.get("variables") or {}).items():
        # Alembic passes sequences of revision ids as tuples; their repr() lands in the file.
        variables[name] = tuple(value) if isinstance(value, list) else value
    # Alembic passes create_date as a datetime: templates write `${create_date}` (its str()) but also
    # `${create_date.year}` (a copyright line). The text we were given is that str().
    created = variables.get("create_date")
    if isinstance(created, str):
        import datetime

        try:
            parsed = datetime.datetime.fromisoformat(created)
        except ValueError:
            parsed = None
        if parsed is not None and str(parsed) == created:
            variables["create_date"] = parsed
    if config is not None:
        variables.setdefault("config", config)
    # `alembic revision` passes its comma filter (used as `${down_revision | comma,n}`).
    from alembic import util as alembic_util

    variables.setdefault("comma", alembic_util.format_as_comma)
    encoding = request.get("encoding") or "utf-8"
    text = Template(filename=template).render_unicode(**variables)
    return {"text": text, "template": os.path.abspath(template), "encoding": encoding}


def compile_source():
    """compile() of {"text", "fileName"}: a running driver checks a rendered file without a new interpreter.
    No .pyc is written; a SyntaxError is an answer (with its line), not a failure of the driver."""
    request = json.loads(read_input() or "{}")
    try:
        compile(request.get("text") or "", request.get("fileName") or "<squash>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        detail = "".join(traceback.format_exception_only(type(exc), exc)).rstrip()
        return {"compiled": False, "error": detail, "line": exc.lineno}
    return {"compiled": True}


def read_snapshot():
    """python/snapshot.py in this interpreter: SQLAlchemy is already imported in a `serve` driver."""
    snapshot = sys.modules.get("_alembic_squash_snapshot")
    if snapshot is None:
        # By its path under a name of ours: a project module called `snapshot` must not shadow it.
        import importlib.util

        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snapshot.py")
        spec = importlib.util.spec_from_file_location("_alembic_squash_snapshot", path)
        snapshot = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(snapshot)
        sys.modules["_alembic_squash_snapshot"] = snapshot
    url = os.environ.get(URL_ENV)
    if not url:
        raise Failure("usage", "snapshot needs %s" % URL_ENV)
    try:
        return snapshot.read(json.loads(read_input() or "{}"), url)
    except ImportError as exc:
        raise Failure("import", str(exc), type=type(exc).__name__)
    except BaseException as exc:  # noqa: B902 - reported as snapshot.py reports it
        raise Failure("snapshot", str(exc).strip() or type(exc).__name__, type=type(exc).__name__,
                      traceback="".join(traceback.format_exception(type(exc), exc, exc.__traceback__))[-4000:])


def version_dirs(config):
    try:
        script = script_directory(config)
        return [os.path.realpath(d) for d in script._version_locations]
    except Exception:
        return []


def inside(path, folders):
    real = os.path.realpath(path)
    return any(real == f or real.startswith(f.rstrip(os.sep) + os.sep) for f in folders)


def describe_failure(exc, folders, project_dir=None):
    """Locate the migration that failed: the deepest traceback frame in a version location file."""
    tb_text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    info = {
        "type": type(exc).__name__,
        "message": str(exc).strip() or type(exc).__name__,
        "traceback": tail(tb_text),
    }
    file = line = revision = None
    seen = set()
    current = exc
    # Follow the exception chain too: SQLAlchemy wraps DBAPI errors raised inside a migration.
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        tb = current.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if folders and inside(filename, folders):
                file, line = filename, tb.tb_lineno
                rev = tb.tb_frame.f_globals.get("revision")
                revision = rev if isinstance(rev, str) else None
            tb = tb.tb_next
        if file:
            break
        if isinstance(current, SyntaxError) and current.filename and inside(current.filename, folders):
            file, line = current.filename, current.lineno
            break
        current = current.__cause__ or current.__context__
    if file:
        info.update({"file": os.path.abspath(file), "line": line, "revision": revision})
        if revision is None:
            info["revision"] = revision_of_file(file)
    missing = missing_module(exc)
    if missing:
        info["missing_module"] = missing
        if not file and project_dir:
            # Not in a revision: env.py (or a module of the project beside it) made the import.
            where = deepest_frame_in(exc, [project_dir])
            if where:
                info["import_file"], info["import_line"] = where
    return info


def deepest_frame_in(exc, folders):
    found = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if inside(filename, folders) and "-packages" not in filename:
            found = (os.path.abspath(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found


def missing_module(exc):
    """The module a failed import named (`app` of `from app.models import X`), along the exception chain."""
    seen = set()
    current = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ModuleNotFoundError) and current.name:
            return current.name
        # `from sqlalchemy.dialects.postgresql import CITEXT` on a SQLAlchemy without it: the module
        # is there, the interpreter's version of it is not the project's.
        if isinstance(current, ImportError) and current.name and "cannot import name" in str(current):
            return current.name
        current = current.__cause__ or current.__context__
    return None


def revision_of_file(path):
    """Read `revision = '...'` from a file that could not be imported, without importing it."""
    import ast

    try:
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read())
    except Exception:
        return None
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Name) and t.id == "revision" and isinstance(node.value, ast.Constant):
                    return node.value.value if isinstance(node.value.value, str) else None
    return None


def tail(text, lines=40):
    parts = text.rstrip("\n").split("\n")
    return "\n".join(parts[-lines:])


def main(argv):
    try:
        args = parse_args(argv)
    except SystemExit:
        answer({"ok": False, "error": {"kind": "usage", "message": "invalid arguments: %r" % (argv,)}})
        return 2

    if args.command == "check":
        try:
            version = alembic_version()
            import sqlalchemy

            answer({
                "ok": True,
                "alembic": version,
                "sqlalchemy": getattr(sqlalchemy, "__version__", None),
                "python": sys.version.split()[0],
                "executable": sys.executable,
            })
            return 0
        except ImportError as exc:
            answer({"ok": False, "error": {"kind": "import", "message": str(exc), "type": type(exc).__name__}})
            return 3

    try:
        import alembic  # noqa: F401
    except ImportError as exc:
        answer({"ok": False, "error": {"kind": "import", "message": str(exc), "type": type(exc).__name__}})
        return 3

    config = None
    try:
        if args.config:
            if not os.path.exists(args.config):
                raise Failure("config", "configuration file not found: %s" % args.config, file=args.config)
            args.config = os.path.abspath(args.config)
            config = make_config(args, os.environ.get(URL_ENV))
        if args.command == "render-template":
            result = render_template(config)
        elif args.command == "compile":
            result = compile_source()
        elif args.command == "snapshot":
            result = read_snapshot()
        else:
            if config is None:
                raise Failure("usage", "%s needs a configuration file (-c)" % args.command)
            result = run_command(config, args.command, args.target)
        result["ok"] = True
        answer(result)
        return 0
    except Failure as failure:
        error = {"kind": failure.kind, "message": failure.message}
        error.update(failure.extra)
        answer({"ok": False, "error": error})
        return 1
    except BaseException as exc:  # noqa: B902 - every failure must become JSON
        folders = version_dirs(config) if config is not None else []
        if args.version_locations:
            folders.extend(os.path.realpath(p) for p in args.version_locations)
        info = describe_failure(exc, folders, os.path.dirname(args.config) if args.config else None)
        info["kind"] = "migration" if info.get("file") else "alembic"
        answer({"ok": False, "error": info})
        return 1


def _fork(stdio_path, stderr_path):
    """A second driver for the caller, forked from this one before it ran any command.

    Importing Alembic and SQLAlchemy is most of an interpreter's start: a fork shares what this one
    imported. The caller listens on two Unix sockets (requests and answers; stderr); they are
    connected here, before the fork, so a failure is answered instead of lost. The child gets its own
    process group, so the caller can end it (and what its env.py starts) apart from this one.
    """
    import socket

    channels = []
    try:
        for path in (stdio_path, stderr_path):
            channel = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            channels.append(channel)
            channel.connect(path)
        sys.stderr.flush()
        _answer.flush()
        pid = os.fork()
    except Exception:
        for channel in channels:
            channel.close()
        raise
    if pid:
        for channel in channels:
            channel.close()
        # Both sides set the child's process group (as shells do): it is its own before the caller
        # hears of it, so ending this driver's group never ends the child.
        try:
            os.setpgid(pid, pid)
        except OSError:
            pass
        _forked.append(pid)
        return pid
    os.setpgid(0, 0)
    requests, errors = channels
    os.dup2(requests.fileno(), 0)
    os.dup2(requests.fileno(), _answer.fileno())
    os.dup2(errors.fileno(), 2)
    os.dup2(errors.fileno(), 1)
    requests.close()
    errors.close()
    # This interpreter's reader holds what it read ahead of the parent's channel: a new one for ours.
    sys.stdin = open(0, "r", encoding="utf-8", closefd=False)
    del _forked[:]
    return 0


# Drivers forked from this one, reaped as they end (never other children: env.py's own subprocesses
# are waited for by whoever started them).
_forked = []


def _reap():
    for pid in list(_forked):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _forked.remove(pid)


def serve():
    """One long-lived interpreter for many commands (verify runs five per side otherwise).

    Reads one JSON request per line on stdin: {"id": N, "argv": [...], "env": {NAME: VALUE or null}}
    and answers each with exactly one JSON line carrying the same id. Alembic, SQLAlchemy and the
    database driver are imported once, up front, while the caller starts its server. A first request
    `["fork", STDIO_SOCKET, STDERR_SOCKET]` makes a second driver from this one (see _fork).
    """
    global _request_id, _request_input
    for name in ("alembic.command", "alembic.script", "sqlalchemy", "psycopg2"):
        try:
            __import__(name)
        except ImportError:
            pass
    base_env = dict(os.environ)
    ran = False
    while True:
        line = sys.stdin.readline()
        if not line:
            break
        _reap()
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
        except ValueError:
            continue
        argv = list(request.get("argv") or [])
        _request_id = request.get("id")
        if argv[:1] == ["fork"]:
            # After a command, this interpreter holds the project's modules and maybe open connections.
            if ran or len(argv) != 3 or not hasattr(os, "fork"):
                answer({"ok": False, "error": {"kind": "fork", "message": "this driver cannot fork (it ran a command already, or has no fork)"}})
                continue
            try:
                pid = _fork(argv[1], argv[2])
            except Exception as exc:
                answer({"ok": False, "error": {"kind": "fork", "message": "%s: %s" % (type(exc).__name__, exc)}})
                continue
            if pid:
                answer({"ok": True, "pid": pid})
            continue
        ran = True
        # Each request starts from the environment the server was started with, plus its own.
        os.environ.clear()
        os.environ.update(base_env)
        for name, value in (request.get("env") or {}).items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        cwd = request.get("cwd")
        if cwd:
            os.chdir(cwd)
        _request_input = request.get("input") or ""
        try:
            main(argv)
        finally:
            _request_id = None
            _request_input = None
            sys.stderr.flush()
    _reap()
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        sys.exit(serve())
    sys.exit(main(sys.argv[1:]))
