#include "terminaltabsmodel.h"

namespace opsdeck::termui {

TerminalTabsModel::TerminalTabsModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

TerminalTabsModel::~TerminalTabsModel()
{
    // The PTYs are the hub's: leaving them running for the grace period is what a crash would
    // do; a console that quits says goodbye properly.
    for (const Tab &tab : std::as_const(m_tabs))
        tab.session->close();
}

void TerminalTabsModel::setClient(transport::HubClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    for (const Tab &tab : std::as_const(m_tabs))
        tab.session->setClient(client);
    Q_EMIT clientChanged();
}

void TerminalTabsModel::setRemoteHub(const QString &label)
{
    if (label == m_remoteHub)
        return;
    m_remoteHub = label;
    Q_EMIT remoteHubChanged();
}

int TerminalTabsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tabs.size());
}

QVariant TerminalTabsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Tab &tab = m_tabs.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        return titleAt(index.row());
    case SessionRole:
        return QVariant::fromValue(tab.session);
    case StateRole:
        return int(tab.session->state());
    case StateTextRole:
        return tab.session->stateText();
    case ExitCodeRole:
        return tab.session->exitCode();
    case RenamedRole:
        return !tab.name.isEmpty();
    case HubRole:
        return tab.session->hub();
    default:
        return {};
    }
}

QHash<int, QByteArray> TerminalTabsModel::roleNames() const
{
    return {{SessionRole, "session"}, {TitleRole, "title"}, {StateRole, "sessionState"},
        {StateTextRole, "stateText"}, {ExitCodeRole, "exitCode"}, {RenamedRole, "renamed"}, {HubRole, "hub"}};
}

int TerminalTabsModel::newTab(int cols, int rows)
{
    auto *session = new TerminalSession(this);
    session->setClient(m_client);
    session->setHub(m_remoteHub);
    connect(session, &TerminalSession::stateChanged, this, [this, session] {
        changed(session, {StateRole, StateTextRole, ExitCodeRole});
    });
    connect(session->screen(), &VtermScreen::titleChanged, this, [this, session] {
        changed(session, {Qt::DisplayRole, TitleRole});
    });
    const int row = int(m_tabs.size());
    beginInsertRows({}, row, row);
    m_tabs.append(Tab {session, {}, m_nextNumber++});
    endInsertRows();
    Q_EMIT countChanged();
    if (cols > 0 && rows > 0)
        session->open(cols, rows);
    return row;
}

void TerminalTabsModel::close(int row)
{
    if (row < 0 || row >= m_tabs.size())
        return;
    beginRemoveRows({}, row, row);
    const Tab tab = m_tabs.takeAt(row);
    endRemoveRows();
    tab.session->close();
    // Later: QML may still hold the session for the frame in which the tab disappears.
    tab.session->deleteLater();
    Q_EMIT countChanged();
}

void TerminalTabsModel::rename(int row, const QString &name)
{
    if (row < 0 || row >= m_tabs.size())
        return;
    const QString trimmed = name.trimmed();
    if (m_tabs[row].name == trimmed)
        return;
    m_tabs[row].name = trimmed;
    const QModelIndex at = index(row);
    Q_EMIT dataChanged(at, at, {Qt::DisplayRole, TitleRole, RenamedRole});
}

TerminalSession *TerminalTabsModel::sessionAt(int row) const
{
    return row >= 0 && row < m_tabs.size() ? m_tabs.at(row).session : nullptr;
}

QString TerminalTabsModel::titleAt(int row) const
{
    if (row < 0 || row >= m_tabs.size())
        return {};
    const Tab &tab = m_tabs.at(row);
    if (!tab.name.isEmpty())
        return tab.name;
    const QString title = tab.session->screen()->title();
    return title.isEmpty() ? tr("Terminal %1").arg(tab.number) : title;
}

void TerminalTabsModel::changed(TerminalSession *session, const QList<int> &roles)
{
    for (int row = 0; row < m_tabs.size(); ++row) {
        if (m_tabs.at(row).session == session) {
            const QModelIndex at = index(row);
            Q_EMIT dataChanged(at, at, roles);
            return;
        }
    }
}

} // namespace opsdeck::termui
