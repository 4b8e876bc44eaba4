#include "appoptions.h"

namespace opsdeck::app {

AppOptionsResult parseAppArguments(const QStringList &arguments)
{
    AppOptions options;
    auto fail = [](const QString &message) { return AppOptionsResult {std::nullopt, message, false}; };
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &arg = arguments.at(i);
        if (arg == QLatin1StringView("--help") || arg == QLatin1StringView("-h"))
            return AppOptionsResult {std::nullopt, {}, true};
        if (arg == QLatin1StringView("--demo")) {
            options.demo = true;
            continue;
        }
        if (arg == QLatin1StringView("--verbose")) {
            options.verbose = true;
            continue;
        }
        if (arg == QLatin1StringView("--startup-report")) {
            options.startupReport = true;
            continue;
        }
        if (arg == QLatin1StringView("--profiles")) {
            options.showProfiles = true;
            continue;
        }
        if (arg == QLatin1StringView("--login")) {
            options.showLogin = true;
            continue;
        }
        if (i + 1 >= arguments.size())
            return fail(QStringLiteral("%1 needs a value (or is unknown); see --help").arg(arg));
        const QString value = arguments.at(++i);
        bool ok = true;
        if (arg == QLatin1StringView("--profile")) {
            options.profile = value;
        } else if (arg == QLatin1StringView("--settings")) {
            options.settingsFile = value;
        } else if (arg == QLatin1StringView("--screenshot")) {
            options.screenshot = value;
        } else if (arg == QLatin1StringView("--screenshot-delay")) {
            options.screenshotDelayMs = value.toInt(&ok);
        } else if (arg == QLatin1StringView("--pane")) {
            if (!QStringList {QStringLiteral("agents"), QStringLiteral("metrics"), QStringLiteral("terminal"),
                    QStringLiteral("logs")}
                     .contains(value))
                return fail(QStringLiteral("--pane must be agents, metrics, terminal or logs"));
            options.pane = value;
        } else if (arg == QLatin1StringView("--quit-after")) {
            options.quitAfterMs = value.toInt(&ok);
        } else if (arg == QLatin1StringView("--seed")) {
            options.seed = value.toUInt(&ok);
        } else if (arg == QLatin1StringView("--theme")) {
            if (value != QLatin1StringView("dark") && value != QLatin1StringView("light"))
                return fail(QStringLiteral("--theme must be dark or light"));
            options.theme = value;
        } else if (arg == QLatin1StringView("--size")) {
            const QStringList parts = value.split(u'x');
            ok = parts.size() == 2;
            options.width = ok ? parts[0].toInt(&ok) : 0;
            options.height = ok ? parts[1].toInt(&ok) : 0;
        } else {
            return fail(QStringLiteral("unknown option %1; see --help").arg(arg));
        }
        if (!ok)
            return fail(QStringLiteral("%1 does not take '%2'").arg(arg, value));
    }
    return AppOptionsResult {options, {}, false};
}

QString appUsage()
{
    return QStringLiteral(
        "Usage: opsdeck [options]\n"
        "The Opsdeck operations console.\n\n"
        "  --demo                 open the built-in Demo profile (simulated fleet)\n"
        "  --profile NAME         open a saved profile\n"
        "  --profiles             open the profile manager (add, edit, remove Dev and Prod profiles)\n"
        "  --login                sign in to the active (or first) Dev/Prod profile: opens the login dialog\n"
        "                         unless the keychain signs in silently\n"
        "  --settings FILE        keep profiles in this INI file instead of the user's settings\n"
        "  --pane NAME            start on agents, metrics, terminal or logs\n"
        "  --theme dark|light     colour theme (default dark)\n"
        "  --size WxH             window size (default 1440x900)\n"
        "  --seed N               make the demo fleet reproducible\n"
        "  --screenshot FILE      save a PNG of the window once it shows data, then quit\n"
        "  --screenshot-delay MS  time for the panes to fill after connecting (default 4000)\n"
        "  --quit-after MS        quit after this long\n"
        "  --startup-report       print 'startup first_frame', 'startup connected', 'startup fleet_shown'\n"
        "                         on stdout as each happens (for benchmarks)\n"
        "  --verbose              log what the embedded hub and the connection do (QT_LOGGING_RULES "
        "overrides)\n"
        "  --help                 print this help\n");
}

} // namespace opsdeck::app
