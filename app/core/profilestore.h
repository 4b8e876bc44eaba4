#pragma once

// Connection profiles (name, mode, URL, user) kept in QSettings. Secrets never live here: tokens
// go to the OS keychain (issue 5). A built-in Demo profile always exists and cannot be removed.

#include <QAbstractListModel>
#include <QSettings>
#include <QtQmlIntegration>

#include <memory>

namespace opsdeck::app {

struct Profile
{
    QString name;
    QString mode; // demo, dev, prod
    QString url;
    QString user;
    bool builtin = false;
};

class ProfileStore : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ProfileStore belongs to the AppSession")
    Q_PROPERTY(QString activeName READ activeName NOTIFY activeChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)

public:
    enum Role { NameRole = Qt::UserRole + 1, ModeRole, UrlRole, UserRole, BuiltinRole, ActiveRole };
    Q_ENUM(Role)

    // `settings` may be null: then the store lives in memory only (tests, --screenshot runs).
    explicit ProfileStore(std::unique_ptr<QSettings> settings, QObject *parent = nullptr);
    ~ProfileStore() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // False with lastError() set when the profile is invalid (empty or duplicate name, a URL
    // that does not fit the mode — prod requires wss://).
    Q_INVOKABLE bool addProfile(const QString &name, const QString &mode, const QString &url, const QString &user);
    Q_INVOKABLE bool updateProfile(int row, const QString &name, const QString &mode, const QString &url,
                                   const QString &user);
    Q_INVOKABLE bool removeProfile(int row);
    Q_INVOKABLE bool setActive(const QString &name);
    Q_INVOKABLE int indexOf(const QString &name) const;

    QString activeName() const { return m_active; }
    std::optional<Profile> active() const;
    QString lastError() const { return m_lastError; }

Q_SIGNALS:
    void activeChanged();
    void lastErrorChanged();

private:
    bool validate(const QString &name, const QString &mode, const QString &url, int ignoreRow);
    void fail(const QString &message);
    void load();
    void save();

    std::unique_ptr<QSettings> m_settings;
    QList<Profile> m_profiles;
    QString m_active;
    QString m_lastError;
};

} // namespace opsdeck::app
