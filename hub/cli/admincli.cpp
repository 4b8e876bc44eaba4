#include "admincli.h"

#include "authcontext.h"
#include "refreshtokenstore.h"
#include "revokedtokens.h"
#include "tokenservice.h"
#include "userstore.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QStandardPaths>

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <termios.h>
#include <unistd.h>

namespace opsdeck::hub {

using namespace opsdeck::hub::auth;

namespace {

constexpr int kOk = 0;
constexpr int kFailure = 1;
constexpr int kUsage = 2;
constexpr qint64 kMaxIssueTtlSeconds = 365LL * 24 * 3600;

struct AdminOptions
{
    QStringList positional; // command words and their operands
    QString dataDir;
    QString issuer = QString::fromLatin1(kDefaultIssuer);
    QStringList roles;
    QString user;
    QString agent;
    QString ttl;
    bool passwordStdin = false;
    bool help = false;
};

int usageError(const QString &message)
{
    std::fprintf(stderr, "opsdeck-hub: %s\nRun `opsdeck-hub user --help` for the commands.\n", qPrintable(message));
    return kUsage;
}

int failure(const QString &message)
{
    std::fprintf(stderr, "opsdeck-hub: %s\n", qPrintable(message));
    return kFailure;
}

// Nothing and a usage message in `error` when an option is unknown or lacks its value.
std::optional<AdminOptions> parseOptions(const QStringList &arguments, QString *error)
{
    AdminOptions options;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        QString arg = arguments.at(i);
        std::optional<QString> inlineValue;
        if (arg.startsWith(QLatin1StringView("--")) && arg.contains(QLatin1Char('='))) {
            inlineValue = arg.mid(arg.indexOf(QLatin1Char('=')) + 1);
            arg = arg.left(arg.indexOf(QLatin1Char('=')));
        }
        auto value = [&]() -> std::optional<QString> {
            if (inlineValue)
                return inlineValue;
            if (i + 1 >= arguments.size())
                return std::nullopt;
            return arguments.at(++i);
        };
        if (arg == u"--help" || arg == u"-h") {
            options.help = true;
        } else if (arg == u"--password-stdin") {
            options.passwordStdin = true;
        } else if (arg == u"--data-dir" || arg == u"--issuer" || arg == u"--role" || arg == u"--user"
                   || arg == u"--agent" || arg == u"--ttl") {
            const auto v = value();
            if (!v || v->isEmpty()) {
                *error = QStringLiteral("%1 needs a value").arg(arg);
                return std::nullopt;
            }
            if (arg == u"--data-dir")
                options.dataDir = *v;
            else if (arg == u"--issuer")
                options.issuer = *v;
            else if (arg == u"--role")
                options.roles += v->split(QLatin1Char(','), Qt::SkipEmptyParts);
            else if (arg == u"--user")
                options.user = *v;
            else if (arg == u"--agent")
                options.agent = *v;
            else
                options.ttl = *v;
        } else if (arg.startsWith(QLatin1Char('-')) && arg != u"-") {
            *error = QStringLiteral("unknown option %1").arg(arg);
            return std::nullopt;
        } else {
            options.positional.append(arguments.at(i));
        }
    }
    if (options.dataDir.isEmpty())
        options.dataDir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
            + QStringLiteral("/opsdeck-hub");
    return options;
}

std::optional<QString> readLine(bool echo)
{
    termios saved {};
    const bool tty = ::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (tty && !echo) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    std::string line;
    const bool got = bool(std::getline(std::cin, line));
    if (tty && !echo) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::fputs("\n", stderr);
    }
    if (!got && line.empty())
        return std::nullopt;
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return QString::fromStdString(line);
}

// --password-stdin: the first line of stdin. Otherwise, on a terminal: asked twice without echo.
std::optional<QString> readNewPassword(const AdminOptions &options, const QString &user, QString *error)
{
    if (options.passwordStdin) {
        auto password = readLine(true);
        if (!password || password->isEmpty()) {
            *error = QStringLiteral("--password-stdin: no password on standard input");
            return std::nullopt;
        }
        return password;
    }
    if (!::isatty(STDIN_FILENO)) {
        *error = QStringLiteral("standard input is not a terminal; pipe the password in with --password-stdin");
        return std::nullopt;
    }
    std::fprintf(stderr, "New password for %s: ", qPrintable(user));
    std::fflush(stderr);
    const auto first = readLine(false);
    std::fputs("Repeat the password: ", stderr);
    std::fflush(stderr);
    const auto second = readLine(false);
    if (!first || !second || first->isEmpty()) {
        *error = QStringLiteral("no password given");
        return std::nullopt;
    }
    if (*first != *second) {
        *error = QStringLiteral("the two passwords differ; nothing changed");
        return std::nullopt;
    }
    return first;
}

QString formatTime(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("never");
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

std::unique_ptr<AuthContext> openContext(const AdminOptions &options, QString *error)
{
    AuthConfig config;
    config.dataDir = options.dataDir;
    config.issuer = options.issuer;
    return AuthContext::open(config, error);
}

int userCommand(const AdminOptions &options, AuthContext &auth)
{
    const QString verb = options.positional.value(1);
    const QString name = options.positional.value(2);
    const qsizetype expectedWords = verb == u"list" ? 2 : 3;
    if (options.positional.size() != expectedWords)
        return usageError(verb == u"list" ? QStringLiteral("`user list` takes no name")
                                          : QStringLiteral("`user %1` takes exactly one user name").arg(verb));
    if (verb == u"add") {
        if (options.roles.isEmpty())
            return usageError(QStringLiteral("`user add` needs --role viewer|operator|admin"));
        if (auto rolesError = checkOperatorRoles(options.roles))
            return usageError(*rolesError);
        if (!isValidUserName(name))
            return usageError(QStringLiteral("\"%1\" is not a valid user name: %2").arg(name, userNameRule()));
        if (auth.users().find(name))
            return failure(QStringLiteral("user \"%1\" already exists; use `opsdeck-hub user passwd %1`").arg(name));
        QString error;
        const auto password = readNewPassword(options, name, &error);
        if (!password)
            return failure(error);
        if (auto addError = auth.users().add(name, *password, options.roles))
            return failure(*addError);
        std::printf("added %s (%s)\n", qPrintable(name), qPrintable(options.roles.join(QLatin1Char(','))));
        return kOk;
    }
    if (verb == u"passwd") {
        if (!auth.users().find(name))
            return failure(QStringLiteral("no user \"%1\"; see `opsdeck-hub user list`").arg(name));
        QString error;
        const auto password = readNewPassword(options, name, &error);
        if (!password)
            return failure(error);
        if (auto passwdError = auth.users().setPassword(name, *password))
            return failure(*passwdError);
        // A new password ends the sign-ins made with the old one (at their next refresh).
        const int ended = auth.refreshTokens().revokeUser(name);
        std::printf("password of %s changed; %d sign-in(s) ended\n", qPrintable(name), ended);
        return kOk;
    }
    if (verb == u"remove") {
        if (auto removeError = auth.users().remove(name))
            return failure(*removeError);
        auth.refreshTokens().revokeUser(name);
        std::printf("removed %s\n", qPrintable(name));
        return kOk;
    }
    if (verb == u"roles") {
        if (options.roles.isEmpty())
            return usageError(QStringLiteral("`user roles` needs --role viewer|operator|admin"));
        if (auto rolesError = auth.users().setRoles(name, options.roles))
            return failure(*rolesError);
        std::printf("%s now has roles %s (from the next login or token refresh)\n", qPrintable(name),
                    qPrintable(options.roles.join(QLatin1Char(','))));
        return kOk;
    }
    if (verb == u"list") {
        const auto users = auth.users().list();
        std::printf("%-24s %-24s %-17s %-17s\n", "NAME", "ROLES", "CREATED", "LAST LOGIN");
        for (const UserRecord &user : users)
            std::printf("%-24s %-24s %-17s %-17s%s\n", qPrintable(user.name),
                        qPrintable(user.roles.join(QLatin1Char(','))), qPrintable(formatTime(user.createdMs)),
                        qPrintable(formatTime(user.lastLoginMs)), user.disabled ? " disabled" : "");
        return kOk;
    }
    return usageError(QStringLiteral("unknown command `user %1`").arg(verb));
}

int tokenCommand(const AdminOptions &options, AuthContext &auth)
{
    const QString verb = options.positional.value(1);
    if (verb == u"revoke") {
        static const QRegularExpression jtiPattern(QStringLiteral("^[0-9a-f]{32}$"));
        const QString jti = options.positional.value(2);
        if (options.positional.size() != 3 || !jtiPattern.match(jti).hasMatch())
            return usageError(QStringLiteral("`token revoke` takes the token's jti (32 hex digits)"));
        if (!auth.revokedTokens().revoke(jti, 0))
            return failure(QStringLiteral("cannot record the revocation (database error, see the log)"));
        std::printf("revoked %s\n", qPrintable(jti));
        return kOk;
    }
    if (verb != u"issue")
        return usageError(QStringLiteral("unknown command `token %1`; use `token issue` or `token revoke`").arg(verb));
    if (options.positional.size() != 2)
        return usageError(QStringLiteral("`token issue` takes --user NAME or --agent NAME, no other words"));
    if (options.user.isEmpty() == options.agent.isEmpty())
        return usageError(QStringLiteral("`token issue` needs exactly one of --user NAME and --agent NAME"));
    if (options.ttl.isEmpty())
        return usageError(QStringLiteral("`token issue` needs --ttl (e.g. 1h, 30d)"));
    const auto ttl = parseDuration(options.ttl);
    if (!ttl || ttl->count() > kMaxIssueTtlSeconds)
        return usageError(QStringLiteral("--ttl takes a duration up to 365d, like 90s, 15m, 1h, 30d"));

    QString subject;
    QStringList roles;
    Audience audience = Audience::Operator;
    if (!options.user.isEmpty()) {
        const auto user = auth.users().find(options.user);
        if (!user)
            return failure(QStringLiteral("no user \"%1\"; add it first with `opsdeck-hub user add`").arg(options.user));
        if (user->disabled)
            return failure(QStringLiteral("user \"%1\" is disabled").arg(options.user));
        subject = user->name;
        roles = user->roles;
    } else {
        if (!isValidUserName(options.agent))
            return usageError(QStringLiteral("\"%1\" is not a valid agent name: %2").arg(options.agent, userNameRule()));
        subject = options.agent;
        roles = {QString::fromLatin1(kAgentRole)};
        audience = Audience::Agent;
    }
    QString error;
    const auto issued = auth.tokens().issue(subject, roles, audience, *ttl, &error);
    if (!issued)
        return failure(error);
    // Only the token on stdout, so `TOKEN=$(opsdeck-hub token issue …)` works; the rest on stderr.
    std::printf("%s\n", issued->token.constData());
    std::fflush(stdout);
    std::fprintf(stderr, "jti %s, expires %s (revoke with `opsdeck-hub token revoke %s`)\n", qPrintable(issued->jti),
                 qPrintable(QDateTime::fromSecsSinceEpoch(issued->expiresAt).toString(Qt::ISODate)),
                 qPrintable(issued->jti));
    return kOk;
}

} // namespace

bool isAdminCommand(const QStringList &arguments)
{
    return !arguments.isEmpty() && (arguments.first() == u"user" || arguments.first() == u"token");
}

QString adminUsage()
{
    return QStringLiteral(
        "Usage:\n"
        "  opsdeck-hub user add NAME --role viewer|operator|admin [--password-stdin]\n"
        "  opsdeck-hub user passwd NAME [--password-stdin]\n"
        "  opsdeck-hub user roles NAME --role ROLE[,ROLE…]\n"
        "  opsdeck-hub user remove NAME\n"
        "  opsdeck-hub user list\n"
        "  opsdeck-hub token issue --user NAME --ttl 1h      (operator access token)\n"
        "  opsdeck-hub token issue --agent NAME --ttl 30d    (agent token)\n"
        "  opsdeck-hub token revoke JTI\n"
        "Options for every command:\n"
        "  --data-dir DIR    the hub's data directory (default $XDG_DATA_HOME/opsdeck-hub)\n"
        "  --issuer NAME     the hub's token issuer (default opsdeck-hub; must match the hub's --issuer)\n"
        "Without --password-stdin the password is asked twice on the terminal.\n"
        "Exit status: 0 ok, 1 failure, 2 usage error.\n");
}

int runAdminCli(const QStringList &arguments)
{
    QString error;
    const auto options = parseOptions(arguments, &error);
    if (!options)
        return usageError(error);
    if (options->help || options->positional.size() < 2) {
        std::fputs(qPrintable(adminUsage()), options->help ? stdout : stderr);
        return options->help ? kOk : kUsage;
    }
    const QString area = options->positional.first();
    const QString verb = options->positional.at(1);
    static const QStringList userVerbs {QStringLiteral("add"), QStringLiteral("passwd"), QStringLiteral("remove"),
                                        QStringLiteral("list"), QStringLiteral("roles")};
    static const QStringList tokenVerbs {QStringLiteral("issue"), QStringLiteral("revoke")};
    if (!(area == u"user" ? userVerbs : tokenVerbs).contains(verb))
        return usageError(QStringLiteral("unknown command `%1 %2`").arg(area, verb));
    // The command prints what it did; the library's info lines would only repeat it.
    QLoggingCategory::setFilterRules(QStringLiteral("opsdeck.hub.auth.info=false"));
    auto auth = openContext(*options, &error);
    if (!auth)
        return failure(error);
    return area == u"user" ? userCommand(*options, *auth) : tokenCommand(*options, *auth);
}

} // namespace opsdeck::hub
