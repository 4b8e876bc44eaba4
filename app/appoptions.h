#pragma once

// The console's command line: --profile, --demo, --screenshot, --pane, --quit-after, --seed, --theme,
// --profiles, --login, --settings.

#include <QStringList>
#include <optional>

namespace opsdeck::app {

struct AppOptions
{
    QString profile; // empty: the last active profile
    bool demo = false; // force the built-in Demo profile
    QString screenshot; // grab the window to this PNG once it has data, then quit
    int screenshotDelayMs = 4000; // after the hub link is up, time for charts and logs to fill
    QString pane = QStringLiteral("agents");
    int quitAfterMs = 0;
    quint32 seed = 0;
    QString theme = QStringLiteral("dark");
    int width = 1440;
    int height = 900;
    bool verbose = false; // info-level logs of the embedded hub and the client
    bool showProfiles = false; // open the profile manager at start
    bool showLogin = false; // sign in to the active (or first) Dev/Prod profile: the login dialog at start
    QString settingsFile; // profiles from this INI file instead of the user's settings (screenshots, tests)
    bool startupReport = false; // print "startup <milestone>" lines as they happen (bench_app_start)
};

struct AppOptionsResult
{
    std::optional<AppOptions> options;
    QString error;
    bool help = false;
};

AppOptionsResult parseAppArguments(const QStringList &arguments);
QString appUsage();

} // namespace opsdeck::app
