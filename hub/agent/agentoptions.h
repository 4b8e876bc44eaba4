#pragma once

// opsdeck-agent's command line and token file (docs/operations.md §8). Parsing lives here, out
// of main.cpp, so the unit tests can reach every refusal.

#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace opsdeck::agent {

struct AgentOptions
{
    QUrl hubUrl;           // ws[s]://host:port/…/api/v1/ws/agent
    QString tokenFile;
    QString name;          // must equal the token's subject
    QString kind = QStringLiteral("agent");
    QString host;          // reported host name; default: this machine's
    QStringList allow;     // programs commands may run (first word of a command)
    QStringList logFiles;  // followed like tail -F and sent as logs
    int maxConcurrent = 4; // commands running at once; more wait their turn
    qint64 maxOutputBytes = 256 * 1024; // collected output per command
    int heartbeatIntervalMs = 10000;
    int metricsIntervalMs = 5000;
    bool showHelp = false;
    bool showVersion = false;
};

struct AgentCliResult
{
    std::optional<AgentOptions> options; // empty: `error` says what is wrong
    QString error;
};

// `arguments` without the program name.
AgentCliResult parseAgentArguments(const QStringList &arguments);
QString agentUsage();

// ws://127.0.0.1:8765 → ws://127.0.0.1:8765/api/v1/ws/agent; a path that does not end with the
// agent path gets it appended (a reverse proxy prefix stays). Invalid: nullopt and `error`.
std::optional<QUrl> agentUrl(const QString &text, QString *error);

// Agent names as the hub accepts them: 1–64 of letters, digits, '.', '_', '-'.
bool isValidAgentName(const QString &name);

struct TokenFileResult
{
    QString token; // empty: `error` says what is wrong and what to do
    QString error;
};

// The token is the first line of the file, trimmed. The file must be a regular file that neither
// group nor others may read (on systems with POSIX permissions).
TokenFileResult readTokenFile(const QString &path);

} // namespace opsdeck::agent
