// opsdeck-hub: the headless hub (docs/operations.md).

#include "admincli.h"
#include "authcontext.h"
#include "authhttpservice.h"
#include "benchlogsource.h"
#include "demofleet.h"
#include "hostmetricssource.h"
#include "httpendpoint.h"
#include "hubauthsetup.h"
#include "hubcli.h"
#include "hubserver.h"
#include "jsonlog.h"
#include "logsources.h"
#include "selflog.h"
#include "shutdownsignals.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSysInfo>

#include <cstdio>

using namespace opsdeck::hub;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("opsdeck-hub"));
    QCoreApplication::setApplicationVersion(QStringLiteral(OPSDECK_VERSION));
    qSetMessagePattern(QStringLiteral("%{time yyyy-MM-ddTHH:mm:ss.zzz} %{if-debug}debug%{endif}%{if-info}info%{endif}"
                                      "%{if-warning}warning%{endif}%{if-critical}error%{endif} %{category}: %{message}"));
    // `opsdeck-hub user …` / `token …`: administration commands, no server (docs/operations.md §6–7).
    if (isAdminCommand(app.arguments().mid(1)))
        return runAdminCli(app.arguments().mid(1));

    const HubCliResult parsed = parseHubArguments(app.arguments().mid(1));
    if (!parsed.options) {
        std::fprintf(stderr, "opsdeck-hub: %s\n", qPrintable(parsed.error));
        return 2;
    }
    const HubCliOptions &options = *parsed.options;
    if (options.showHelp) {
        std::fputs(qPrintable(hubUsage()), stdout);
        return 0;
    }
    if (options.showVersion) {
        std::printf("opsdeck-hub %s\n", OPSDECK_VERSION);
        return 0;
    }
    QLoggingCategory::setFilterRules(*loggingRulesFor(options.logLevel));
    if (options.jsonLogs)
        installJsonLogHandler(); // before SelfLog, which chains to it
    // Installed first so the start-up messages are published too (queued until the topics exist).
    std::unique_ptr<opsdeck::logsource::SelfLog> selfLog;
    if (options.selfLog)
        selfLog = std::make_unique<opsdeck::logsource::SelfLog>();
    HubConfig config = options.config;
    std::shared_ptr<opsdeck::hub::auth::AuthContext> authContext;
    const bool demoMode = config.mode == opsdeck::protocol::Mode::Demo;
    if (!demoMode) {
        // dev/prod admit operators by token only: without an authenticator nobody could connect.
        AuthenticatorSetup auth = makeAuthenticator(options);
        if (!auth.authenticator) {
            std::fprintf(stderr, "opsdeck-hub: --mode %s cannot start: %s\n",
                         qPrintable(opsdeck::protocol::modeName(config.mode)), qPrintable(auth.error));
            return 2;
        }
        config.authenticator = std::move(auth.authenticator);
        authContext = std::move(auth.context);
    }
    if (demoMode && !config.address.isLoopback() && config.secret.isEmpty())
        qWarning("listening on %s without --secret-file: anyone who can reach this address can connect",
                 qPrintable(config.address.toString()));
    const bool tls = !config.tlsCertificateFile.isEmpty();
    if (!tls && !config.address.isLoopback() && !demoMode)
        qWarning("--mode dev on %s without TLS: tokens cross the network in clear text; use --tls-cert/--tls-key",
                 qPrintable(config.address.toString()));
    if (options.insecureLoopback && !tls && config.mode == opsdeck::protocol::Mode::Prod)
        qWarning("--insecure-loopback: prod without TLS, reachable from this machine only; for tests");

    const bool localTerminals = config.address.isLoopback() && !config.secret.isEmpty();
    const bool operatorTerminals = !demoMode && (tls || config.address.isLoopback());
    if (config.terminalsEnabled && !localTerminals && !operatorTerminals)
        qWarning("--terminals: not served, because terminals need a loopback --listen address and --secret-file, or "
                 "dev/prod with TLS; clients asking for one get FORBIDDEN");

    HubServer server(config);
    if (!server.listen()) {
        std::fprintf(stderr, "opsdeck-hub: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    if (selfLog)
        selfLog->attach(&server.topics(), QSysInfo::machineHostName());

    std::unique_ptr<demo::DemoFleet> fleet;
    if (options.fleet) {
        demo::DemoFleetConfig fleetConfig;
        fleetConfig.seed = options.seedGiven ? options.seed : QRandomGenerator::global()->generate();
        fleet = std::make_unique<demo::DemoFleet>(server.registry(), fleetConfig);
        fleet->start();
        qInfo("demo fleet of %d agents, seed %llu", int(fleet->agentIds().size()),
              static_cast<unsigned long long>(fleetConfig.seed));
    }
    std::unique_ptr<demo::BenchLogSource> benchLogs;
    if (options.benchLogsRate > 0) {
        benchLogs = std::make_unique<demo::BenchLogSource>(server.registry(), options.benchLogsRate);
        benchLogs->start();
    }

    std::unique_ptr<opsdeck::logsource::LogSources> logSources;
    if (!options.logFiles.isEmpty()) {
        logSources = std::make_unique<opsdeck::logsource::LogSources>(server.topics());
        opsdeck::logsource::LogFileTailerOptions tailOptions;
        tailOptions.fromStart = options.logFromStart;
        for (const QString &file : options.logFiles)
            logSources->addFile(opsdeck::logsource::LogFileSpec::parse(file), tailOptions);
        logSources->start();
    }

    std::unique_ptr<opsdeck::hub::sources::HostMetricsSource> hostMetrics;
    if (hostMetricsEnabled(options)) {
        opsdeck::hub::sources::HostMetricsConfig hostConfig;
        hostConfig.intervalMs = options.hostMetricsIntervalMs;
        if (!options.hostMetricsMounts.isEmpty())
            hostConfig.mountPoints = options.hostMetricsMounts;
        hostMetrics = std::make_unique<opsdeck::hub::sources::HostMetricsSource>(server.registry(), hostConfig);
        if (!hostMetrics->start())
            hostMetrics.reset(); // no probe for this platform; the source said so
    }
    // Bound before the first line is printed, so a taken port fails the start like --listen does.
    std::unique_ptr<opsdeck::hub::observability::HttpEndpoint> http;
    if (options.httpListen) {
        if (!options.httpListen->first.isLoopback())
            qWarning("--http-listen %s: /metrics and /healthz need no credentials; keep this port off public networks",
                     qPrintable(options.httpListen->first.toString()));
        http = std::make_unique<opsdeck::hub::observability::HttpEndpoint>(server, hostMetrics.get());
        if (!http->listen(options.httpListen->first, options.httpListen->second)) {
            std::fprintf(stderr, "opsdeck-hub: %s\n", qPrintable(http->errorString()));
            return 1;
        }
    }

    std::unique_ptr<opsdeck::hub::auth::AuthHttpService> authService;
    if (authContext) {
        QString error;
        authService = startAuthService(options, server, *authContext, &error);
        if (!authService) {
            std::fprintf(stderr, "opsdeck-hub: sign-in endpoint: %s\n", qPrintable(error));
            return 1;
        }
    }

    // The first stdout line is the contract with scripts and tests that start the hub.
    std::printf("listening on %s\n", qPrintable(server.url().toString()));
    if (http)
        std::printf("http listening on %s\n", qPrintable(http->url().toString()));
    if (authService)
        std::printf("auth listening on %s\n", qPrintable(authService->url().toString()));
    std::fflush(stdout);

    ShutdownSignals signals;
    QObject::connect(&signals, &ShutdownSignals::shutdownRequested, &server, [&](int signalNumber) {
        qInfo("signal %d: draining clients", signalNumber);
        if (fleet)
            fleet->stop();
        if (benchLogs)
            benchLogs->stop();
        if (logSources)
            logSources->stop();
        if (hostMetrics)
            hostMetrics->stop();
        server.shutdown();
    });
    QObject::connect(&server, &HubServer::stopped, &app, &QCoreApplication::quit);
    return app.exec();
}
