#pragma once

// TerminalTabsModel: the terminal pane's tabs, one TerminalSession each. It owns the sessions
// (a closed tab hangs its PTY up and deletes its session) and shows, per tab, the name the
// operator gave it — or else the title the shell set (OSC 2), or else "Terminal N" — with the
// session's state and exit code, so the tab bar can mark a finished or failed terminal.

#include "hubclient.h"
#include "termsession.h"

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QtQml/qqml.h>

namespace opsdeck::termui {

class TerminalTabsModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(opsdeck::transport::HubClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    // Where new tabs open: the label of a linked remote hub (its host), or empty for the host of
    // the console's own hub. Open tabs keep the host they were opened on.
    Q_PROPERTY(QString remoteHub READ remoteHub WRITE setRemoteHub NOTIFY remoteHubChanged)

public:
    enum Role
    {
        SessionRole = Qt::UserRole + 1,
        TitleRole,
        StateRole,
        StateTextRole,
        ExitCodeRole,
        RenamedRole,
        HubRole, // the remote hub's label, empty for the console's own hub
    };
    Q_ENUM(Role)

    explicit TerminalTabsModel(QObject *parent = nullptr);
    ~TerminalTabsModel() override;

    transport::HubClient *client() const { return m_client; }
    void setClient(transport::HubClient *client);
    int count() const { return int(m_tabs.size()); }
    QString remoteHub() const { return m_remoteHub; }
    void setRemoteHub(const QString &label);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Adds a tab and opens its terminal at cols × rows (0: open later, when the view knows its
    // size). Returns the new row.
    Q_INVOKABLE int newTab(int cols = 0, int rows = 0);
    // Hangs the terminal up and removes the tab.
    Q_INVOKABLE void close(int row);
    // An empty name goes back to the shell's title.
    Q_INVOKABLE void rename(int row, const QString &name);
    Q_INVOKABLE opsdeck::termui::TerminalSession *sessionAt(int row) const;
    Q_INVOKABLE QString titleAt(int row) const;

Q_SIGNALS:
    void clientChanged();
    void countChanged();
    void remoteHubChanged();

private:
    struct Tab
    {
        TerminalSession *session = nullptr;
        QString name; // set by the operator
        int number = 0; // "Terminal N": stable while other tabs come and go
    };

    void changed(TerminalSession *session, const QList<int> &roles);

    QPointer<transport::HubClient> m_client;
    QString m_remoteHub;
    QList<Tab> m_tabs;
    int m_nextNumber = 1;
};

} // namespace opsdeck::termui
