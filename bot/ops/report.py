"""The doctor's report as lines of text, in the message catalogue's words (bokmål or English)."""

from __future__ import annotations

from bot.ops.doctor import SourceCheck
from bot.ops.slackcheck import ChannelCheck, SlackCheck
from bot.sources.drift import RENAMED, TYPE, DriftItem
from bot.texts.catalogue import SOURCE_NAME, Language, counted, term
from bot.texts.catalogue import text as t

# Drift lines shown per source; the rest are counted.
MAX_DRIFT = 12


def report_lines(checks: list[SourceCheck], slack: SlackCheck, language: Language) -> list[str]:
    """One block of lines per source, then Slack, then the verdict."""
    lines = [line for check in checks for line in source_lines(check, language)]
    lines += slack_lines(slack, language)
    problems = sum(not check.ok for check in checks) + (not slack.ok)
    if problems:
        found = counted(problems, "problem", language)
        lines.append(t(language, "doctor_problems", problems=found))
    else:
        lines.append(t(language, "doctor_all_ok"))
    return lines


def source_lines(check: SourceCheck, language: Language) -> list[str]:
    """What one source's answers showed."""
    source = term(SOURCE_NAME, check.source, language)
    statuses = ", ".join(str(status) for status in check.statuses) or "–"
    if not check.planned:
        return [t(language, "doctor_unplanned", source=source)]
    if check.fetch_error is not None and not check.statuses:
        return [t(language, "doctor_unreached", source=source, reason=check.fetch_error)]
    lines = [t(language, "doctor_reached", source=source, http=statuses)]
    if check.fetch_error is not None:
        lines.append(t(language, "doctor_unreached_later", reason=check.fetch_error))
    if check.parse_error is not None:
        lines.append(t(language, "doctor_unparsed", reason=check.parse_error))
    elif check.fetch_error is None:
        records = counted(check.records, "record", language)
        lines.append(t(language, "doctor_parsed", records=records))
    lines += [drift_line(item, language) for item in check.drift[:MAX_DRIFT]]
    if len(check.drift) > MAX_DRIFT:
        lines.append("  " + t(language, "lookup_more", count=len(check.drift) - MAX_DRIFT))
    return lines


def drift_line(item: DriftItem, language: Language) -> str:
    """One key missing, renamed or of another type, with how many objects show it."""
    values = {"path": item.path or "/", "count": item.count, "of": item.of}
    if item.problem == RENAMED:
        return t(language, "doctor_drift_renamed", found=item.found, **values)
    if item.problem == TYPE:
        return t(language, "doctor_drift_type", expected=item.expected, found=item.found, **values)
    return t(language, "doctor_drift_missing", expected=item.expected, **values)


def slack_lines(slack: SlackCheck, language: Language) -> list[str]:
    """The token, the scopes, and each channel the bot posts to."""
    if not slack.configured:
        return [t(language, "doctor_slack_console")]
    if slack.problem is not None:
        return [t(language, "doctor_slack_failed", reason=slack.problem)]
    lines = [t(language, "doctor_slack_ok", team=slack.team, user=slack.user)]
    if slack.missing_scopes:
        lines.append(t(language, "doctor_slack_scopes", scopes=", ".join(slack.missing_scopes)))
    return lines + [channel_line(channel, language) for channel in slack.channels]


def channel_line(channel: ChannelCheck, language: Language) -> str:
    """Whether the bot is in the alert (or admin) channel, and what to do when it is not."""
    role = t(language, f"doctor_role_{channel.role}")
    if channel.problem is None:
        return t(language, "doctor_channel_ok", role=role, channel=channel.channel)
    hint = {
        "not_set": "doctor_hint_not_set",
        "not_in_channel": "doctor_hint_invite",
        "channel_not_found": "doctor_hint_not_found",
    }.get(channel.problem)
    reason = t(language, hint) if hint else channel.problem
    return t(language, "doctor_channel_problem", role=role, channel=channel.channel, reason=reason)
