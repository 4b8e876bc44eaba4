// opsdeck: the desktop operations console.

#include "appoptions.h"
#include "appsession.h"
#include "authclient.h"
#include "keychainsecretstore.h"
#include "signincontroller.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QDir>
#include <QIcon>
#include <QLoggingCategory>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSettings>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>
#include <cstdio>
#include <utility>

Q_IMPORT_QML_PLUGIN(OpsdeckUiPlugin)
Q_IMPORT_QML_PLUGIN(OpsdeckCorePlugin)
Q_IMPORT_QML_PLUGIN(OpsdeckAuthPlugin)
Q_IMPORT_QML_PLUGIN(OpsdeckShellPlugin)
Q_IMPORT_QML_PLUGIN(OpsdeckAgentsPlugin)
Q_IMPORT_QML_PLUGIN(OpsdeckMetricsPlugin)
Q_IMPORT_QML_PLUGIN(OpsdeckLogsPlugin)
Q_IMPORT_QML_PLUGIN(OpsdeckTerminalPlugin)

using namespace opsdeck::app;

namespace {

void milestone(const char *name)
{
    std::printf("startup %s\n", name);
    std::fflush(stdout);
}

// Prints each start-up milestone once, as it happens; bench_app_start times the lines.
void reportStartup(QQuickWindow *window, AppSession *session)
{
    QObject::connect(window, &QQuickWindow::frameSwapped, window, [done = false]() mutable {
        if (!std::exchange(done, true))
            milestone("first_frame");
    });
    auto connected = [session, done = false]() mutable {
        if (session->isConnected() && !std::exchange(done, true))
            milestone("connected");
    };
    connected();
    QObject::connect(session, &AppSession::connectionChanged, window, connected);
    // The fleet is on screen when the agents table has rows.
    if (auto *agents = window->findChild<QAbstractItemModel *>(QStringLiteral("agentModel"))) {
        QObject::connect(agents, &QAbstractItemModel::rowsInserted, window, [done = false]() mutable {
            if (!std::exchange(done, true))
                milestone("fleet_shown");
        });
    }
}

// --login: the active profile when it needs a sign-in, else the first Dev or Prod profile.
QString firstSignInProfile(const ProfileStore &profiles)
{
    if (const auto active = profiles.active(); active && active->mode != QLatin1StringView("demo"))
        return active->name;
    for (int row = 0; row < profiles.rowCount(); ++row) {
        const QModelIndex index = profiles.index(row);
        if (index.data(ProfileStore::ModeRole).toString() != QLatin1StringView("demo"))
            return index.data(ProfileStore::NameRole).toString();
    }
    return {};
}

} // namespace

int main(int argc, char *argv[])
{
    // Qt Charts' QML types need a QApplication (DESIGN.md §8).
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Opsdeck"));
    QApplication::setApplicationName(QStringLiteral("Opsdeck"));
    QApplication::setApplicationVersion(QStringLiteral(OPSDECK_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("opsdeck"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/opsdeck/icons/opsdeck.svg")));
    QQuickStyle::setStyle(QStringLiteral("Basic"));

    const AppOptionsResult parsed = parseAppArguments(app.arguments().mid(1));
    if (parsed.help) {
        std::fputs(qPrintable(appUsage()), stdout);
        return 0;
    }
    if (!parsed.options) {
        std::fprintf(stderr, "opsdeck: %s\n", qPrintable(parsed.error));
        return 2;
    }
    const AppOptions &options = *parsed.options;
    // An operator's terminal shows warnings and errors; --verbose (or QT_LOGGING_RULES) shows more.
    if (!options.verbose)
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false\nopsdeck.*.info=false"));

    // A screenshot run must not read or change the operator's saved profiles (nor their keychain).
    std::unique_ptr<QSettings> settings;
    if (!options.settingsFile.isEmpty())
        settings = std::make_unique<QSettings>(options.settingsFile, QSettings::IniFormat);
    else if (options.screenshot.isEmpty())
        settings = std::make_unique<QSettings>();
    ProfileStore profiles(std::move(settings));
    if (options.demo || profiles.active().value_or(Profile {}).mode != QLatin1StringView("demo"))
        profiles.setActive(QStringLiteral("Demo"));

    std::unique_ptr<SecretStore> secrets;
    if (options.screenshot.isEmpty())
        secrets = std::make_unique<KeychainSecretStore>();
    else
        secrets = std::make_unique<MemorySecretStore>();
    AuthClient authClient;
    SignInController signIn(secrets.get(), &authClient);
    AppSession session(&profiles);
    session.setSignInController(&signIn);
    if (!options.profile.isEmpty())
        session.activateProfile(options.profile);
    if (options.showLogin) {
        const QString target = firstSignInProfile(profiles);
        if (target.isEmpty()) {
            std::fprintf(stderr, "opsdeck: --login needs a Dev or Prod profile; add one with --profiles\n");
            return 2;
        }
        if (target != profiles.activeName())
            session.activateProfile(target);
    }
    EmbeddedHubOptions hubOptions;
    hubOptions.seed = options.seed;
    session.start(hubOptions);

    QQmlApplicationEngine engine;
    // Qt 6.4 puts module files under qrc:/<URI path>, not /qt/qml (DESIGN.md §8).
    engine.addImportPath(QStringLiteral("qrc:/"));
    engine.setInitialProperties({{QStringLiteral("session"), QVariant::fromValue(&session)},
        {QStringLiteral("initialPane"), options.pane},
        {QStringLiteral("darkTheme"), options.theme != QLatin1StringView("light")},
        {QStringLiteral("showProfiles"), options.showProfiles}, {QStringLiteral("showLogin"), options.showLogin},
        {QStringLiteral("width"), options.width},
        {QStringLiteral("height"), options.height}});
    engine.load(QUrl(QStringLiteral("qrc:/Opsdeck/Shell/Main.qml")));
    if (engine.rootObjects().isEmpty()) {
        std::fprintf(stderr, "opsdeck: the user interface failed to load\n");
        return 1;
    }
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());

    if (!options.screenshot.isEmpty() && window) {
        auto grab = [&] {
            // What the panes hold when the picture is taken, for tests and for the record.
            for (const char *name : {"agentModel", "logModel", "metricsStore", "terminalTabs"}) {
                const QObject *model = window->findChild<QObject *>(QLatin1StringView(name));
                if (const auto *list = qobject_cast<const QAbstractItemModel *>(model))
                    std::printf("model %s rows=%d\n", name, list->rowCount());
                else if (model)
                    std::printf("model %s points=%lld\n", name, model->property("pointCount").toLongLong());
            }
            // The first terminal tab's state as the status line says it: "ready" = a shell is on screen.
            if (const auto *tabs = window->findChild<QAbstractItemModel *>(QStringLiteral("terminalTabs"));
                tabs && tabs->rowCount() > 0) {
                const int role = tabs->roleNames().key(QByteArrayLiteral("stateText"), -1);
                std::printf("terminal state=%s\n", qPrintable(tabs->index(0, 0).data(role).toString()));
            }
            std::fflush(stdout);
            const QImage image = window->grabWindow();
            const bool saved = !image.isNull() && image.save(options.screenshot);
            std::fprintf(saved ? stdout : stderr, "%s %s\n",
                saved ? "screenshot saved to" : "could not save screenshot to",
                qPrintable(QDir::toNativeSeparators(options.screenshot)));
            QCoreApplication::exit(saved ? 0 : 1);
        };
        // Copies, not references: `arm` runs from a signal long after this block has ended.
        auto arm = [grab, window, delayMs = options.screenshotDelayMs] { QTimer::singleShot(delayMs, window, grab); };
        if (session.isConnected())
            arm();
        else
            QObject::connect(&session, &AppSession::connectionChanged, window, [&session, arm, armed = false]() mutable {
                if (!armed && session.isConnected()) {
                    armed = true;
                    arm();
                }
            });
        // A console that never connects is still worth a picture: it shows the error banner.
        QTimer::singleShot(options.screenshotDelayMs + 15000, window, grab);
    }
    if (options.startupReport && window)
        reportStartup(window, &session);
    if (options.quitAfterMs > 0)
        QTimer::singleShot(options.quitAfterMs, &app, &QCoreApplication::quit);

    const int code = app.exec();
    session.shutdown();
    return code;
}
