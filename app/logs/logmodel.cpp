#include "logmodel.h"

#include <QVariantMap>

#include "logtime.h"

namespace opsdeck::logs {

LogModel::LogModel(QObject *parent, int chunkSize)
    : QAbstractListModel(parent)
    , m_store(chunkSize)
{
}

LogModel::~LogModel() = default;

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> LogModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"},
        {SeqRole, "seq"},
        {TimestampRole, "timestamp"},
        {TimestampMsRole, "timestampMs"},
        {LevelRole, "level"},
        {StreamRole, "stream"},
        {SourceRole, "source"},
        {HostRole, "host"},
        {MessageRole, "message"},
        {FirstLineRole, "firstLine"},
        {LineCountRole, "lineCount"},
        {IsGapRole, "isGap"},
        {MatchRangesRole, "matchRanges"},
        {MatchesRole, "matches"},
        {ExpandedRole, "expanded"},
        {EpochRole, "epoch"},
        {TimestampIsoRole, "timestampIso"},
    };
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.parent().isValid() || index.row() < 0 || index.row() >= count())
        return QVariant();
    const uint64_t position = positionAt(index.row());
    const LogRecord &r = m_store.record(position);
    switch (role) {
    case Qt::DisplayRole:
    case FirstLineRole: {
        std::string_view message = m_store.messageUtf8(position);
        const auto newline = message.find('\n');
        if (newline != std::string_view::npos)
            message = message.substr(0, newline);
        if (!message.empty() && message.back() == '\r')
            message.remove_suffix(1);
        return QString::fromUtf8(message.data(), qsizetype(message.size()));
    }
    case MessageRole:
        return m_store.message(position);
    case SeqRole:
        return qint64(r.seq);
    case TimestampRole:
        return (r.flags & LogRecord::HasTimestamp) ? formatDisplay(r.timestampMs, m_utc) : QString();
    case TimestampMsRole:
        return qint64(r.timestampMs);
    case TimestampIsoRole:
        return (r.flags & LogRecord::HasTimestamp)
                   ? formatIso(r.timestampMs, r.utcOffsetMin, r.flags & LogRecord::HasOffset)
                   : QString();
    case LevelRole:
        return levelName(r.level);
    case StreamRole:
        return m_store.streams().string(r.streamId);
    case SourceRole:
        return m_store.sources().string(r.sourceId);
    case HostRole:
        return m_store.hosts().string(r.hostId);
    case LineCountRole:
        return int(r.lineCount);
    case IsGapRole:
        return r.kind == LogKind::Gap;
    case ExpandedRole:
        return m_expanded.contains(position);
    case EpochRole:
        return m_store.epochs().string(r.epochId);
    case MatchesRole:
        return r.kind == LogKind::Entry && m_filter.hasText() && m_filter.matchesText(m_store.messageUtf8(position));
    case MatchRangesRole: {
        QVariantList ranges;
        if (r.kind == LogKind::Gap || !m_filter.hasText())
            return ranges;
        const QString message = m_store.message(position);
        const auto found = m_filter.matchRanges(message);
        for (const auto &[start, length] : found)
            ranges.append(QVariantMap{{QStringLiteral("start"), start}, {QStringLiteral("length"), length}});
        return ranges;
    }
    default:
        return QVariant();
    }
}

bool LogModel::rowPassesForView(const LogRecord &record, std::string_view message) const
{
    // A gap is never filtered away: the protocol requires clients to show it, not paper over it.
    if (record.kind == LogKind::Gap)
        return true;
    if (!m_filter.matchesFields(m_store, record))
        return false;
    return !m_filterOnly || m_filter.matchesText(message);
}

void LogModel::refilter()
{
    const int oldPending = pendingCount();
    const uint64_t end = m_store.endPosition();
    const uint64_t boundary = m_paused ? std::max(m_pauseBoundary, m_store.firstPosition()) : end;
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    m_store.forEach(m_store.firstPosition(), end, [&](uint64_t position, const LogRecord &r, std::string_view message) {
        if (rowPassesForView(r, message))
            (position < boundary ? m_rows : m_pending).push_back(uint32_t(position));
    });
    endResetModel();
    Q_EMIT countChanged();
    if (oldPending != pendingCount())
        Q_EMIT pendingCountChanged();
}

QStringList LogModel::levels() const
{
    QStringList names;
    for (int level = int(LogLevel::Trace); level < kLevelCount; ++level) {
        if (m_filter.levelMask() & (1u << unsigned(level)))
            names.append(levelName(LogLevel(level)));
    }
    return names;
}

void LogModel::setLevels(const QStringList &levels)
{
    uint8_t mask = 0;
    for (const QString &name : levels) {
        const LogLevel level = levelFromName(QStringView(name));
        if (level != LogLevel::Unknown)
            mask |= uint8_t(1u << unsigned(level));
    }
    mask |= 0x1;
    if (mask == m_filter.levelMask())
        return;
    m_filter.setLevelMask(mask);
    refilter();
    Q_EMIT filterChanged();
}

void LogModel::setLevelEnabled(const QString &name, bool enabled)
{
    const LogLevel level = levelFromName(QStringView(name));
    if (level == LogLevel::Unknown)
        return;
    uint8_t mask = m_filter.levelMask();
    mask = enabled ? uint8_t(mask | (1u << unsigned(level))) : uint8_t(mask & ~(1u << unsigned(level)));
    if (mask == m_filter.levelMask())
        return;
    m_filter.setLevelMask(mask);
    refilter();
    Q_EMIT filterChanged();
}

bool LogModel::isLevelEnabled(const QString &name) const
{
    const LogLevel level = levelFromName(QStringView(name));
    return m_filter.levelMask() & (1u << unsigned(level));
}

void LogModel::setSources(const QStringList &sources)
{
    if (sources == m_sourceFilter)
        return;
    m_sourceFilter = sources;
    m_filter.setSources(sources);
    refilter();
    Q_EMIT filterChanged();
}

void LogModel::setStreams(const QStringList &streams)
{
    if (streams == m_streamFilter)
        return;
    m_streamFilter = streams;
    m_filter.setStreams(streams);
    refilter();
    Q_EMIT filterChanged();
}

void LogModel::applyFilterFields()
{
    const QString error = m_filter.setText(m_searchText, m_regex);
    if (error != m_filterError) {
        m_filterError = error;
        if (!error.isEmpty())
            qCDebug(lcLogs) << "invalid log filter expression:" << error;
        Q_EMIT filterErrorChanged();
    }
    if (m_filterOnly) {
        refilter();
    } else if (!m_rows.empty()) {
        // Highlight mode keeps every row; only the highlighting of visible delegates changes.
        Q_EMIT dataChanged(index(0), index(count() - 1), {MatchRangesRole, MatchesRole});
    }
    Q_EMIT filterChanged();
}

void LogModel::setSearchText(const QString &text)
{
    if (text == m_searchText)
        return;
    m_searchText = text;
    applyFilterFields();
}

void LogModel::setRegex(bool regex)
{
    if (regex == m_regex)
        return;
    m_regex = regex;
    applyFilterFields();
}

void LogModel::setFilterOnly(bool filterOnly)
{
    if (filterOnly == m_filterOnly)
        return;
    m_filterOnly = filterOnly;
    if (m_filter.hasText())
        refilter();
    Q_EMIT filterChanged();
}

void LogModel::setUtc(bool utc)
{
    if (utc == m_utc)
        return;
    m_utc = utc;
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0), index(count() - 1), {TimestampRole});
    Q_EMIT utcChanged();
}

void LogModel::setFollowTail(bool follow)
{
    if (follow == m_followTail)
        return;
    m_followTail = follow;
    Q_EMIT followTailChanged();
}

void LogModel::toggleExpanded(int row)
{
    if (row < 0 || row >= count())
        return;
    const uint64_t position = positionAt(row);
    if (!m_expanded.remove(position))
        m_expanded.insert(position);
    Q_EMIT dataChanged(index(row), index(row), {ExpandedRole});
}

bool LogModel::isExpanded(int row) const
{
    return row >= 0 && row < count() && m_expanded.contains(positionAt(row));
}

int LogModel::findMatch(int fromRow, bool forward) const
{
    if (!m_filter.hasText())
        return -1;
    const int step = forward ? 1 : -1;
    for (int row = fromRow + step; row >= 0 && row < count(); row += step) {
        const uint64_t position = positionAt(row);
        if (m_store.record(position).kind == LogKind::Entry && m_filter.matchesText(m_store.messageUtf8(position)))
            return row;
    }
    return -1;
}

int LogModel::rowForSeq(qint64 seq) const
{
    // Rows are in arrival order, which is seq order within an epoch but not across epochs or
    // files, so this is a scan rather than a binary search; it runs on a user action only.
    for (int row = 0; row < count(); ++row) {
        if (m_store.record(positionAt(row)).seq >= seq)
            return row;
    }
    return -1;
}

QString LogModel::entryText(const LogStore &store, uint64_t position, const QString &timeText)
{
    const LogRecord &r = store.record(position);
    if (r.kind == LogKind::Gap)
        return QStringLiteral("---- ") + store.message(position) + QStringLiteral(" ----");
    QString line = timeText;
    const QString level = levelName(r.level).toUpper();
    if (!level.isEmpty())
        line += QLatin1Char(' ') + level;
    const QString &source = store.sources().string(r.sourceId);
    const QString &host = store.hosts().string(r.hostId);
    if (!source.isEmpty() || !host.isEmpty())
        line += QLatin1Char(' ') + source + (host.isEmpty() ? QString() : QLatin1Char('@') + host);
    const QString &stream = store.streams().string(r.streamId);
    if (!stream.isEmpty())
        line += QLatin1Char(' ') + stream + QLatin1Char(':');
    line += QLatin1Char(' ') + store.message(position);
    return line;
}

QString LogModel::rowsText(int first, int last) const
{
    QStringList lines;
    first = std::max(first, 0);
    last = std::min(last, count() - 1);
    for (int row = first; row <= last; ++row) {
        const uint64_t position = positionAt(row);
        const LogRecord &r = m_store.record(position);
        const QString time = (r.flags & LogRecord::HasTimestamp) ? formatDisplay(r.timestampMs, m_utc) : QString();
        lines.append(entryText(m_store, position, time));
    }
    return lines.join(QLatin1Char('\n'));
}

std::vector<uint64_t> LogModel::visiblePositions() const
{
    std::vector<uint64_t> positions;
    positions.reserve(m_rows.size());
    for (uint32_t low : m_rows)
        positions.push_back(absolute(low));
    return positions;
}

QStringList LogModel::knownSources() const
{
    QStringList values;
    for (int id = 1; id < m_store.sources().size(); ++id)
        values.append(m_store.sources().string(uint16_t(id)));
    values.sort();
    return values;
}

QStringList LogModel::knownStreams() const
{
    QStringList values;
    for (int id = 1; id < m_store.streams().size(); ++id)
        values.append(m_store.streams().string(uint16_t(id)));
    values.sort();
    return values;
}

} // namespace opsdeck::logs
