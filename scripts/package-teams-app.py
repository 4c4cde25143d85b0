#!/usr/bin/env python3
"""The work behind scripts/package-teams-app.sh (run that): fills the ids and host into the manifest, validates the
result against the official schema when the Node tools are installed, and writes the zip with the three files at its root.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

PLACEHOLDER_HOST = "engagements.example.com"
PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
HOST = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
ICONS = ("color.png", "outline.png")


class SettingsError(Exception):
    pass


def check_settings(bot_id, app_id, host, version):
    if not bot_id:
        raise SettingsError("the bot id is missing: set BOT_APP_ID or Bot__AppId (the bot's Entra app id), or pass --bot-id")
    if not GUID.match(bot_id):
        raise SettingsError(f"the bot id {bot_id!r} is not a GUID (expected the Entra app id, e.g. 1b2c3d4e-...)")
    if bot_id == PLACEHOLDER_ID:
        raise SettingsError("the bot id is the template's all-zero placeholder: set the bot's real Entra app id")
    if app_id and not GUID.match(app_id):
        raise SettingsError(f"the Teams app id {app_id!r} (TEAMS_APP_ID) is not a GUID")
    if not host:
        raise SettingsError("the public host is missing: set PUBLIC_HOST (e.g. bot.contoso.com, the host of https://<host>/api/messages)")
    if not HOST.match(host):
        raise SettingsError(f"the public host {host!r} is not a host name (no scheme, port or path: e.g. bot.contoso.com)")
    if version and not SEMVER.match(version):
        raise SettingsError(f"the version {version!r} is not MAJOR.MINOR.PATCH")


def fill(manifest, bot_id, app_id, host, version=None):
    """Returns a copy of the template manifest with the real ids and host; URLs someone pointed elsewhere stay as they are."""
    filled = json.loads(json.dumps(manifest))
    filled["id"] = app_id or bot_id
    for bot in filled.get("bots", []):
        bot["botId"] = bot_id
    # Resource-specific consent is granted to the bot's own Entra app: the outbox reads its posts back with it.
    if "webApplicationInfo" in filled:
        filled["webApplicationInfo"]["id"] = bot_id
    developer = filled.get("developer", {})
    for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        if key in developer:
            developer[key] = developer[key].replace(f"://{PLACEHOLDER_HOST}", f"://{host}")
    filled["validDomains"] = [host if domain == PLACEHOLDER_HOST else domain for domain in filled.get("validDomains", [host])]
    if version:
        filled["version"] = version
    return filled


def validate(validator, manifest_path):
    """Runs the schema validator; returns False when it rejects the manifest, None when the Node tools are not installed."""
    if shutil.which("node") is None or not os.path.isdir(os.path.join(os.path.dirname(validator), "..", "node_modules", "ajv")):
        return None
    result = subprocess.run(["node", validator, manifest_path], capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        return False
    return True


def write_zip(output, files):
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    partial = output + ".partial"
    with zipfile.ZipFile(partial, "w") as archive:
        for name, data in files:
            # A fixed timestamp and mode make the same inputs give the same bytes.
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    os.replace(partial, output)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--manifest-dir", required=True)
    parser.add_argument("--validator", required=True)
    parser.add_argument("--bot-id", default="")
    parser.add_argument("--app-id", default="")
    parser.add_argument("--host", default="")
    parser.add_argument("--version", default="")
    parser.add_argument("--output", required=True)
    args = parser.parse_args()

    bot_id, app_id, host, version = args.bot_id.strip(), args.app_id.strip(), args.host.strip().lower(), args.version.strip()
    try:
        check_settings(bot_id, app_id, host, version)
    except SettingsError as error:
        print(f"package-teams-app: {error}", file=sys.stderr)
        return 2

    with open(os.path.join(args.manifest_dir, "manifest.json"), encoding="utf-8") as f:
        manifest = fill(json.load(f), bot_id, app_id, host, version)
    manifest_bytes = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    with tempfile.TemporaryDirectory() as staging:
        staged = os.path.join(staging, "manifest.json")
        with open(staged, "wb") as f:
            f.write(manifest_bytes)
        verdict = validate(args.validator, staged)
    if verdict is False:
        print("package-teams-app: the filled-in manifest fails the Teams schema (errors above); no package written", file=sys.stderr)
        return 1
    if verdict is None:
        print("package-teams-app: warning: not validated against the schema (run scripts/install-prerequisites.sh node)", file=sys.stderr)

    files = [("manifest.json", manifest_bytes)]
    for icon in ICONS:
        with open(os.path.join(args.manifest_dir, icon), "rb") as f:
            files.append((icon, f.read()))
    write_zip(args.output, files)
    print(f"Wrote {args.output} (Teams app id {manifest['id']}, bot id {bot_id}, host {host}, version {manifest['version']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
