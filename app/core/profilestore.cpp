#include "profilestore.h"

#include <QUrl>

namespace opsdeck::app {

namespace {
const QString kDemoName = QStringLiteral("Demo");

Profile demoProfile()
{
    return Profile{kDemoName, QStringLiteral("demo"), QStringLiteral("embedded"), QString(), true};
}
} // namespace

ProfileStore::ProfileStore(std::unique_ptr<QSettings> settings, QObject *parent)
    : QAbstractListModel(parent)
    , m_settings(std::move(settings))
{
    load();
}

ProfileStore::~ProfileStore() = default;

int ProfileStore::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_profiles.size());
}

QVariant ProfileStore::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Profile &profile = m_profiles.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return profile.name;
    case ModeRole:
        return profile.mode;
    case UrlRole:
        return profile.url;
    case UserRole:
        return profile.user;
    case BuiltinRole:
        return profile.builtin;
    case ActiveRole:
        return profile.name == m_active;
    default:
        return {};
    }
}

QHash<int, QByteArray> ProfileStore::roleNames() const
{
    return {{NameRole, "name"}, {ModeRole, "mode"},       {UrlRole, "url"},
            {UserRole, "user"}, {BuiltinRole, "builtin"}, {ActiveRole, "active"}};
}

void ProfileStore::fail(const QString &message)
{
    m_lastError = message;
    Q_EMIT lastErrorChanged();
}

bool ProfileStore::validate(const QString &name, const QString &mode, const QString &url, int ignoreRow)
{
    if (name.trimmed().isEmpty())
        return fail(tr("Give the profile a name.")), false;
    for (int i = 0; i < m_profiles.size(); ++i) {
        if (i != ignoreRow && m_profiles.at(i).name.compare(name.trimmed(), Qt::CaseInsensitive) == 0)
            return fail(tr("A profile named “%1” already exists.").arg(name.trimmed())), false;
    }
    if (mode != QLatin1StringView("dev") && mode != QLatin1StringView("prod"))
        return fail(tr("Only Dev and Prod profiles can be added; Demo is built in.")), false;
    const QUrl parsed(url.trimmed(), QUrl::StrictMode);
    if (!parsed.isValid() || parsed.host().isEmpty()
        || (parsed.scheme() != QLatin1StringView("ws") && parsed.scheme() != QLatin1StringView("wss")))
        return fail(tr("The hub URL must look like wss://hub.example.com/api/v1/ws.")), false;
    if (mode == QLatin1StringView("prod") && parsed.scheme() != QLatin1StringView("wss"))
        return fail(tr("Production hubs must use wss:// (TLS).")), false;
    if (!parsed.userInfo().isEmpty() || parsed.hasQuery())
        return fail(tr("Put no credentials or query in the URL; the login dialog asks for them.")), false;
    if (!m_lastError.isEmpty()) {
        m_lastError.clear();
        Q_EMIT lastErrorChanged();
    }
    return true;
}

bool ProfileStore::addProfile(const QString &name, const QString &mode, const QString &url, const QString &user)
{
    if (!validate(name, mode, url, -1))
        return false;
    beginInsertRows({}, int(m_profiles.size()), int(m_profiles.size()));
    m_profiles.append(Profile{name.trimmed(), mode, url.trimmed(), user.trimmed(), false});
    endInsertRows();
    save();
    return true;
}

bool ProfileStore::updateProfile(int row, const QString &name, const QString &mode, const QString &url,
                                 const QString &user)
{
    if (row < 0 || row >= m_profiles.size() || m_profiles.at(row).builtin)
        return fail(tr("The Demo profile cannot be changed.")), false;
    if (!validate(name, mode, url, row))
        return false;
    const bool wasActive = m_profiles.at(row).name == m_active;
    m_profiles[row] = Profile{name.trimmed(), mode, url.trimmed(), user.trimmed(), false};
    if (wasActive)
        m_active = name.trimmed();
    Q_EMIT dataChanged(index(row), index(row));
    save();
    return true;
}

bool ProfileStore::removeProfile(int row)
{
    if (row < 0 || row >= m_profiles.size() || m_profiles.at(row).builtin)
        return fail(tr("The Demo profile cannot be removed.")), false;
    const bool wasActive = m_profiles.at(row).name == m_active;
    beginRemoveRows({}, row, row);
    m_profiles.removeAt(row);
    endRemoveRows();
    if (wasActive)
        setActive(kDemoName);
    save();
    return true;
}

bool ProfileStore::setActive(const QString &name)
{
    const int row = indexOf(name);
    if (row < 0)
        return fail(tr("There is no profile named “%1”.").arg(name)), false;
    if (m_active == m_profiles.at(row).name)
        return true;
    const int previous = indexOf(m_active);
    m_active = m_profiles.at(row).name;
    if (previous >= 0)
        Q_EMIT dataChanged(index(previous), index(previous), {ActiveRole});
    Q_EMIT dataChanged(index(row), index(row), {ActiveRole});
    Q_EMIT activeChanged();
    save();
    return true;
}

int ProfileStore::indexOf(const QString &name) const
{
    for (int i = 0; i < m_profiles.size(); ++i) {
        if (m_profiles.at(i).name.compare(name, Qt::CaseInsensitive) == 0)
            return i;
    }
    return -1;
}

std::optional<Profile> ProfileStore::active() const
{
    const int row = indexOf(m_active);
    return row < 0 ? std::nullopt : std::make_optional(m_profiles.at(row));
}

void ProfileStore::load()
{
    m_profiles = {demoProfile()};
    m_active = kDemoName;
    if (!m_settings)
        return;
    const int count = m_settings->beginReadArray(QStringLiteral("profiles"));
    for (int i = 0; i < count; ++i) {
        m_settings->setArrayIndex(i);
        Profile profile{m_settings->value(QStringLiteral("name")).toString(),
                        m_settings->value(QStringLiteral("mode")).toString(),
                        m_settings->value(QStringLiteral("url")).toString(),
                        m_settings->value(QStringLiteral("user")).toString(), false};
        if (!profile.name.isEmpty() && indexOf(profile.name) < 0)
            m_profiles.append(profile);
    }
    m_settings->endArray();
    const QString active = m_settings->value(QStringLiteral("activeProfile")).toString();
    if (indexOf(active) >= 0)
        m_active = m_profiles.at(indexOf(active)).name;
}

void ProfileStore::save()
{
    if (!m_settings)
        return;
    m_settings->beginWriteArray(QStringLiteral("profiles"));
    int written = 0;
    for (const Profile &profile : std::as_const(m_profiles)) {
        if (profile.builtin)
            continue;
        m_settings->setArrayIndex(written++);
        m_settings->setValue(QStringLiteral("name"), profile.name);
        m_settings->setValue(QStringLiteral("mode"), profile.mode);
        m_settings->setValue(QStringLiteral("url"), profile.url);
        m_settings->setValue(QStringLiteral("user"), profile.user);
    }
    m_settings->endArray();
    m_settings->setValue(QStringLiteral("activeProfile"), m_active);
}

} // namespace opsdeck::app
