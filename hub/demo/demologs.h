#pragma once

// Log line generators for the demo fleet. Each agent kind talks like the software it pretends
// to be (a C++ HTTP service, a JVM job worker, a PostgreSQL-like database, a Redis-like cache,
// a Python flow executor), so the Logs pane has realistic material to filter and group.

#include <QString>

namespace opsdeck::hub::demo {

class Rng;

struct LogLine
{
    QString level; // trace, debug, info, warn, error, fatal
    QString stream; // stdout, stderr
    QString message;
};

// Everyday chatter at a level drawn from the kind's distribution (mostly info/debug, some
// trace and warn, rare error with a stack trace, very rare fatal).
LogLine routineLog(const QString &kind, Rng &rng);
// An error, often a multi-line entry with a stack trace in the kind's language.
LogLine errorLog(const QString &kind, Rng &rng);
// What the process prints when it dies.
LogLine fatalLog(const QString &kind, Rng &rng);
// The banner a process prints when it starts.
LogLine startupLog(const QString &kind, const QString &version, Rng &rng);

// Multi-line stack traces: C++ (sanitizer/backtrace style), Java and Python.
QString cppStackTrace(Rng &rng, const QString &what);
QString javaStackTrace(Rng &rng, const QString &what);
QString pythonTraceback(Rng &rng, const QString &what);

// Background job vocabulary per kind: a name for a task and the lines it prints.
QString backgroundTaskName(const QString &kind, Rng &rng);
LogLine taskProgressLog(const QString &kind, const QString &task, int percent, Rng &rng);
LogLine taskFinishedLog(const QString &kind, const QString &task, bool success, qint64 durationMs, Rng &rng);

// A plausible canned assistant reply to `chat <text>` (seed 000's `chat Hello Jiro`).
QString chatReply(const QString &agentId, const QString &text, Rng &rng);

} // namespace opsdeck::hub::demo
