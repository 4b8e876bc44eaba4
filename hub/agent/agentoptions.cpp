#include "agentoptions.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QSysInfo>

#include <functional>

namespace opsdeck::agent {

namespace {
constexpr QLatin1StringView kAgentPath{"/api/v1/ws/agent"};

std::optional<qint64> integer(const QString &text, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < min || value > max)
        return std::nullopt;
    return value;
}
} // namespace

QString agentUsage()
{
    return QStringLiteral(
        "Usage: opsdeck-agent --hub URL --token-file FILE --name NAME [options]\n"
        "\n"
        "Connects to an Opsdeck hub as agent NAME, runs allow-listed commands, streams their\n"
        "output and the --log-file files as logs, and reports heartbeats and its own metrics.\n"
        "\n"
        "  --hub URL                 the hub, e.g. ws://10.0.0.5:8765 (/api/v1/ws/agent is appended)\n"
        "  --token-file FILE         the agent token (first line); chmod 600 — a file group or\n"
        "                            others can read is refused\n"
        "  --name NAME               this agent's name; must be the name its token was issued for\n"
        "  --allow PROGRAM           a program commands may run (repeatable); the first word of a\n"
        "                            command must equal it; found on PATH, run without a shell\n"
        "  --log-file PATH           a log file to follow like tail -F (repeatable)\n"
        "  --kind KIND               shown in the console (default: agent)\n"
        "  --host NAME               the host name reported (default: this machine's)\n"
        "  --max-concurrent N        commands running at once, 1-64 (default 4); more wait\n"
        "  --max-output-bytes N      output kept per command result (default 262144)\n"
        "  --heartbeat-interval-ms N heartbeat period (default 10000)\n"
        "  --metrics-interval-ms N   own CPU/memory report period (default 5000)\n"
        "  -h, --help                this text\n"
        "  --version                 the version\n"
        "\n"
        "The built-in command `status` is always available.\n");
}

bool isValidAgentName(const QString &name)
{
    if (name.isEmpty() || name.size() > 64 || !name.front().isLetterOrNumber())
        return false;
    for (const QChar c : name) {
        if (c.unicode() >= 128 || !(c.isLetterOrNumber() || c == u'.' || c == u'_' || c == u'-'))
            return false;
    }
    return true;
}

std::optional<QUrl> agentUrl(const QString &text, QString *error)
{
    QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1StringView("ws") && url.scheme() != QLatin1StringView("wss"))
        || url.host().isEmpty()) {
        *error = QStringLiteral("--hub must be a ws:// or wss:// URL with a host, e.g. ws://127.0.0.1:8765 (got '%1')")
                     .arg(text);
        return std::nullopt;
    }
    if (!url.userInfo().isEmpty() || url.hasQuery()) {
        // A token in a URL ends up in logs and shell history; it belongs in --token-file.
        *error = QStringLiteral("--hub must not carry user info or a query; put the token in --token-file");
        return std::nullopt;
    }
    QString path = url.path();
    if (!path.endsWith(kAgentPath)) {
        while (path.endsWith(QLatin1Char('/')))
            path.chop(1);
        path += kAgentPath;
    }
    url.setPath(path);
    return url;
}

AgentCliResult parseAgentArguments(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption hub(QStringLiteral("hub"), {}, QStringLiteral("url"));
    const QCommandLineOption tokenFile(QStringLiteral("token-file"), {}, QStringLiteral("file"));
    const QCommandLineOption name(QStringLiteral("name"), {}, QStringLiteral("name"));
    const QCommandLineOption allow(QStringLiteral("allow"), {}, QStringLiteral("program"));
    const QCommandLineOption logFile(QStringLiteral("log-file"), {}, QStringLiteral("path"));
    const QCommandLineOption kind(QStringLiteral("kind"), {}, QStringLiteral("kind"));
    const QCommandLineOption host(QStringLiteral("host"), {}, QStringLiteral("name"));
    const QCommandLineOption maxConcurrent(QStringLiteral("max-concurrent"), {}, QStringLiteral("n"));
    const QCommandLineOption maxOutput(QStringLiteral("max-output-bytes"), {}, QStringLiteral("n"));
    const QCommandLineOption heartbeat(QStringLiteral("heartbeat-interval-ms"), {}, QStringLiteral("ms"));
    const QCommandLineOption metrics(QStringLiteral("metrics-interval-ms"), {}, QStringLiteral("ms"));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")});
    const QCommandLineOption version(QStringLiteral("version"));
    parser.addOptions({hub, tokenFile, name, allow, logFile, kind, host, maxConcurrent, maxOutput, heartbeat, metrics,
                       help, version});

    AgentCliResult out;
    if (!parser.parse(QStringList{QStringLiteral("opsdeck-agent")} + arguments)) {
        out.error = parser.errorText() + QStringLiteral(" (see --help)");
        return out;
    }
    if (!parser.positionalArguments().isEmpty()) {
        out.error = QStringLiteral("unexpected argument '%1' (see --help)").arg(parser.positionalArguments().first());
        return out;
    }
    AgentOptions options;
    options.showHelp = parser.isSet(help);
    options.showVersion = parser.isSet(version);
    if (options.showHelp || options.showVersion) {
        out.options = options;
        return out;
    }
    for (const auto *required : {&hub, &tokenFile, &name}) {
        if (!parser.isSet(*required) || parser.value(*required).isEmpty()) {
            out.error = QStringLiteral("--%1 is required (see --help)").arg(required->names().first());
            return out;
        }
    }
    const auto url = agentUrl(parser.value(hub), &out.error);
    if (!url)
        return out;
    options.hubUrl = *url;
    options.tokenFile = parser.value(tokenFile);
    options.name = parser.value(name);
    if (!isValidAgentName(options.name)) {
        out.error = QStringLiteral("--name '%1' is not a valid agent name: 1-64 letters, digits, '.', '_' or '-', "
                                   "starting with a letter or digit")
                        .arg(options.name);
        return out;
    }
    for (const QString &program : parser.values(allow)) {
        if (program.isEmpty() || program.contains(QLatin1Char(' '))) {
            out.error = QStringLiteral("--allow takes one program name, e.g. --allow uptime (got '%1')").arg(program);
            return out;
        }
        if (!options.allow.contains(program))
            options.allow.append(program);
    }
    options.logFiles = parser.values(logFile);
    if (parser.isSet(kind))
        options.kind = parser.value(kind);
    options.host = parser.isSet(host) ? parser.value(host) : QSysInfo::machineHostName();

    struct Bound
    {
        const QCommandLineOption *option;
        qint64 min;
        qint64 max;
        std::function<void(qint64)> set;
    };
    const Bound bounds[] = {
        {&maxConcurrent, 1, 64, [&](qint64 v) { options.maxConcurrent = int(v); }},
        {&maxOutput, 1024, 16 * 1024 * 1024, [&](qint64 v) { options.maxOutputBytes = v; }},
        {&heartbeat, 100, 3600000, [&](qint64 v) { options.heartbeatIntervalMs = int(v); }},
        {&metrics, 100, 3600000, [&](qint64 v) { options.metricsIntervalMs = int(v); }},
    };
    for (const Bound &bound : bounds) {
        if (!parser.isSet(*bound.option))
            continue;
        const auto value = integer(parser.value(*bound.option), bound.min, bound.max);
        if (!value) {
            out.error = QStringLiteral("--%1 must be an integer from %2 to %3 (got '%4')")
                            .arg(bound.option->names().first())
                            .arg(bound.min)
                            .arg(bound.max)
                            .arg(parser.value(*bound.option));
            return out;
        }
        bound.set(*value);
    }
    out.options = options;
    return out;
}

TokenFileResult readTokenFile(const QString &path)
{
    TokenFileResult out;
    const QFileInfo info(path);
    if (!info.exists()) {
        out.error = QStringLiteral("token file %1 does not exist; write the agent token issued for this agent into it "
                                   "(chmod 600)")
                        .arg(path);
        return out;
    }
    if (!info.isFile()) {
        out.error = QStringLiteral("token file %1 is not a regular file").arg(path);
        return out;
    }
#ifdef Q_OS_UNIX
    const QFileDevice::Permissions exposed = QFileDevice::ReadGroup | QFileDevice::ReadOther;
    if (info.permissions() & exposed) {
        out.error = QStringLiteral("token file %1 can be read by group or others; run: chmod 600 %1").arg(path);
        return out;
    }
#endif
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        out.error = QStringLiteral("cannot read token file %1: %2").arg(path, file.errorString());
        return out;
    }
    const QByteArray firstLine = file.read(64 * 1024).split('\n').value(0).trimmed();
    if (firstLine.isEmpty()) {
        out.error = QStringLiteral("token file %1 is empty; its first line must be the agent token").arg(path);
        return out;
    }
    out.token = QString::fromUtf8(firstLine);
    return out;
}

} // namespace opsdeck::agent
