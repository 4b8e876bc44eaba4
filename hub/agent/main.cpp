// opsdeck-agent: connects a machine to an Opsdeck hub as an agent (docs/operations.md §8).

#include "agentlog.h"
#include "agentoptions.h"
#include "agentservice.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <unistd.h>
#endif

using namespace opsdeck::agent;

namespace {
#ifdef Q_OS_UNIX
int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1); // async-signal-safe
}

// SIGTERM/SIGINT become a graceful stop in the event loop: running programs are stopped and
// their results reported before the connection closes.
void installStopSignals(AgentService &service)
{
    if (::pipe(g_signalPipe) != 0)
        return;
    ::fcntl(g_signalPipe[1], F_SETFL, O_NONBLOCK);
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, &service);
    QObject::connect(notifier, &QSocketNotifier::activated, &service, [&service] {
        char byte;
        [[maybe_unused]] const auto read = ::read(g_signalPipe[0], &byte, 1);
        qCInfo(lcAgent) << "stopping";
        service.stop();
    });
    struct sigaction action {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
}
#else
void installStopSignals(AgentService &) {}
#endif
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("opsdeck-agent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(OPSDECK_VERSION));
    qSetMessagePattern(QStringLiteral("%{time yyyy-MM-ddTHH:mm:ss.zzz} %{if-debug}debug%{endif}%{if-info}info%{endif}"
                                      "%{if-warning}warning%{endif}%{if-critical}error%{endif} %{category}: %{message}"));

    const AgentCliResult parsed = parseAgentArguments(app.arguments().mid(1));
    if (!parsed.options) {
        std::fprintf(stderr, "opsdeck-agent: %s\n", qPrintable(parsed.error));
        return 2;
    }
    const AgentOptions &options = *parsed.options;
    if (options.showHelp) {
        std::fputs(qPrintable(agentUsage()), stdout);
        return 0;
    }
    if (options.showVersion) {
        std::printf("opsdeck-agent %s\n", OPSDECK_VERSION);
        return 0;
    }
    // Checked once up front so a wrong file is a clear start-up error, not a reconnect loop.
    if (const TokenFileResult token = readTokenFile(options.tokenFile); token.token.isEmpty()) {
        std::fprintf(stderr, "opsdeck-agent: %s\n", qPrintable(token.error));
        return 2;
    }

    AgentService service(options);
    QObject::connect(&service, &AgentService::fatal, &app, [](const QString &message) {
        std::fprintf(stderr, "opsdeck-agent: %s\n", qPrintable(message));
        QCoreApplication::exit(1);
    });
    QObject::connect(&service, &AgentService::stopped, &app, &QCoreApplication::quit);
    installStopSignals(service);
    service.start();
    return app.exec();
}
