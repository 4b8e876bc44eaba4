// LogModel: ingest, pause/resume and the capacity cap.

#include "logmodel.h"

#include <QDateTime>
#include <QStringEncoder>

#include "logtime.h"

namespace opsdeck::logs {

namespace {
// Appends the UTF-8 of `s` to `buffer` (whose capacity was reserved by the caller so earlier
// views stay valid) and returns a view of it.
std::string_view appendUtf8(std::string &buffer, QStringView s)
{
    if (s.isEmpty())
        return {};
    const std::size_t start = buffer.size();
    Q_ASSERT(buffer.capacity() - start >= std::size_t(s.size()) * 3);
    buffer.resize(start + std::size_t(s.size()) * 3);
    QStringEncoder encoder(QStringEncoder::Utf8);
    char *end = encoder.appendToBuffer(buffer.data() + start, s);
    buffer.resize(std::size_t(end - buffer.data()));
    return std::string_view(buffer.data() + start, buffer.size() - start);
}

QString stringField(const QJsonObject &object, QLatin1StringView key)
{
    return object.value(key).toString();
}
} // namespace

bool LogModel::acceptSeq(const QString &epoch, qint64 seq)
{
    if (!m_lastSeqSlot || epoch != m_lastEpochKey) {
        m_lastEpochKey = epoch;
        m_lastSeqSlot = &m_lastSeq.emplace(epoch.toStdString(), INT64_MIN).first->second;
    }
    if (seq <= *m_lastSeqSlot)
        return false;
    *m_lastSeqSlot = seq;
    return true;
}

void LogModel::appendOne(const QJsonObject &entry)
{
    const QString epoch = stringField(entry, QLatin1StringView("epoch"));
    const QJsonValue seqValue = entry.value(QLatin1StringView("seq"));
    const bool hasSeq = seqValue.isDouble();
    const qint64 seq = hasSeq ? qint64(seqValue.toDouble()) : 0;
    if (hasSeq && !acceptSeq(epoch, seq))
        return;

    QString timestamp = stringField(entry, QLatin1StringView("timestamp"));
    if (timestamp.isEmpty())
        timestamp = stringField(entry, QLatin1StringView("ts"));
    const QString stream = stringField(entry, QLatin1StringView("stream"));
    const QString level = stringField(entry, QLatin1StringView("level"));
    const QString source = stringField(entry, QLatin1StringView("source"));
    const QString host = stringField(entry, QLatin1StringView("host"));
    const QString message = stringField(entry, QLatin1StringView("message"));

    m_scratch.clear();
    m_scratch.reserve(std::size_t(epoch.size() + timestamp.size() + stream.size() + source.size() + host.size()
                                  + message.size())
                      * 3);
    LogEntryInput in;
    in.seq = seq;
    in.epoch = appendUtf8(m_scratch, epoch);
    in.stream = appendUtf8(m_scratch, stream);
    in.source = appendUtf8(m_scratch, source);
    in.host = appendUtf8(m_scratch, host);
    in.message = appendUtf8(m_scratch, message);
    in.level = levelFromName(QStringView(level));
    const ParsedTime time = parseIsoTimestamp(appendUtf8(m_scratch, timestamp));
    if (time.length > 0) {
        in.timestampMs = time.msUtc;
        in.utcOffsetMin = time.offsetMin;
        in.hasOffset = time.hasOffset;
    } else {
        // The protocol always stamps entries; an unstamped one is shown at its arrival time.
        in.timestampMs = QDateTime::currentMSecsSinceEpoch();
    }
    m_store.append(in);
}

void LogModel::appendEntries(const QList<QJsonObject> &entries)
{
    const uint64_t from = m_store.endPosition();
    for (const QJsonObject &entry : entries)
        appendOne(entry);
    commitAppended(from);
}

void LogModel::appendEntryArray(const QJsonArray &entries)
{
    const uint64_t from = m_store.endPosition();
    for (const QJsonValue &entry : entries) {
        if (entry.isObject())
            appendOne(entry.toObject());
    }
    commitAppended(from);
}

void LogModel::appendGap(const QJsonObject &gap)
{
    GapInfo info;
    info.reason = stringField(gap, QLatin1StringView("reason"));
    const QJsonValue from = gap.value(QLatin1StringView("from_seq"));
    const QJsonValue to = gap.value(QLatin1StringView("to_seq"));
    if (from.isDouble() && to.isDouble()) {
        info.fromSeq = qint64(from.toDouble());
        info.toSeq = qint64(to.toDouble());
    }
    QString reasonText = info.reason;
    reasonText.replace(QLatin1Char('_'), QLatin1Char(' '));
    if (reasonText.isEmpty())
        reasonText = QStringLiteral("unknown reason");
    // A relayed hole (docs/protocol.md §15) says in words which hub lost what; keep its words.
    const QString relayed = stringField(gap, QLatin1StringView("message"));
    const QString text = !relayed.isEmpty() ? relayed
                         : info.fromSeq >= 0
                             ? QStringLiteral("%1 entries missing (%2)").arg(info.toSeq - info.fromSeq + 1).arg(reasonText)
                             : QStringLiteral("entries missing (%1)").arg(reasonText);
    const QByteArray textUtf8 = text.toUtf8();
    const QByteArray epochUtf8 = stringField(gap, QLatin1StringView("epoch")).toUtf8();
    const ParsedTime time = parseIsoTimestamp(stringField(gap, QLatin1StringView("ts")).toStdString());

    LogEntryInput in;
    in.seq = info.fromSeq;
    in.epoch = std::string_view(epochUtf8.constData(), std::size_t(epochUtf8.size()));
    in.message = std::string_view(textUtf8.constData(), std::size_t(textUtf8.size()));
    in.timestampMs = time.length ? time.msUtc : QDateTime::currentMSecsSinceEpoch();
    const uint64_t position = m_store.endPosition();
    m_store.appendGap(in, info);
    commitAppended(position);
}

void LogModel::handleMessage(const QJsonObject &message)
{
    const QString type = stringField(message, QLatin1StringView("type"));
    if (type == QLatin1StringView("batch")) {
        const QString epoch = stringField(message, QLatin1StringView("epoch"));
        const QJsonArray logs = message.value(QLatin1StringView("logs")).toArray();
        const uint64_t from = m_store.endPosition();
        for (const QJsonValue &value : logs) {
            QJsonObject entry = value.toObject();
            // Batched entries may leave the epoch to their envelope.
            if (!entry.contains(QLatin1StringView("epoch")) && !epoch.isEmpty())
                entry.insert(QStringLiteral("epoch"), epoch);
            appendOne(entry);
        }
        commitAppended(from);
    } else if (type == QLatin1StringView("log")) {
        appendEntries({message});
    } else if (type == QLatin1StringView("gap")) {
        appendGap(message);
    }
}

void LogModel::appendBatch(const LogBatchPtr &batch)
{
    if (!batch)
        return;
    const uint64_t from = m_store.endPosition();
    for (const LogBatch::Item &item : batch->items)
        m_store.append(batch->input(item));
    commitAppended(from);
}

void LogModel::commitAppended(uint64_t from)
{
    const uint64_t end = m_store.endPosition();
    if (from == end)
        return;
    std::vector<uint32_t> fresh;
    fresh.reserve(std::size_t(end - from));
    m_store.forEach(from, end, [&](uint64_t position, const LogRecord &r, std::string_view message) {
        if (rowPassesForView(r, message))
            fresh.push_back(uint32_t(position));
    });
    if (m_paused) {
        // The view stays still while paused; entries wait here and nothing is lost.
        if (!fresh.empty()) {
            m_pending.insert(m_pending.end(), fresh.begin(), fresh.end());
            Q_EMIT pendingCountChanged();
        }
    } else if (!fresh.empty()) {
        const int first = count();
        const int last = first + int(fresh.size()) - 1;
        beginInsertRows(QModelIndex(), first, last);
        m_rows.insert(m_rows.end(), fresh.begin(), fresh.end());
        endInsertRows();
        Q_EMIT countChanged();
        Q_EMIT rowsAppended(first, last);
    }
    Q_EMIT totalCountChanged();
    noteKnownValues();
    enforceCapacity();
}

void LogModel::enforceCapacity()
{
    bool dropped = false;
    const int oldPending = pendingCount();
    while (m_store.size() > uint64_t(m_capacity) && m_store.size() > 0) {
        const uint64_t oldFirst = m_store.firstPosition();
        const uint64_t n = m_store.oldestChunkCount();
        const auto inDroppedChunk = [&](uint32_t low) { return uint32_t(low - uint32_t(oldFirst)) < n; };
        const auto rowEnd = std::partition_point(m_rows.begin(), m_rows.end(), inDroppedChunk);
        const int removed = int(rowEnd - m_rows.begin());
        // Rows are removed before the chunk is freed so views can still read them in
        // rowsAboutToBeRemoved.
        if (removed > 0)
            beginRemoveRows(QModelIndex(), 0, removed - 1);
        m_rows.erase(m_rows.begin(), rowEnd);
        m_pending.erase(m_pending.begin(), std::partition_point(m_pending.begin(), m_pending.end(), inDroppedChunk));
        m_store.dropOldestChunk();
        if (removed > 0) {
            endRemoveRows();
            Q_EMIT countChanged();
        }
        dropped = true;
    }
    if (!dropped)
        return;
    for (auto it = m_expanded.begin(); it != m_expanded.end();) {
        if (*it < m_store.firstPosition())
            it = m_expanded.erase(it);
        else
            ++it;
    }
    Q_EMIT totalCountChanged();
    if (oldPending != pendingCount())
        Q_EMIT pendingCountChanged();
}

void LogModel::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (paused) {
        m_pauseBoundary = m_store.endPosition();
    } else if (!m_pending.empty()) {
        const int first = count();
        const int last = first + int(m_pending.size()) - 1;
        beginInsertRows(QModelIndex(), first, last);
        m_rows.insert(m_rows.end(), m_pending.begin(), m_pending.end());
        m_pending.clear();
        endInsertRows();
        Q_EMIT countChanged();
        Q_EMIT pendingCountChanged();
        Q_EMIT rowsAppended(first, last);
    }
    Q_EMIT pausedChanged();
}

void LogModel::setCapacity(int capacity)
{
    capacity = std::max(capacity, 1);
    if (capacity == m_capacity)
        return;
    m_capacity = capacity;
    enforceCapacity();
    Q_EMIT capacityChanged();
}

void LogModel::clear()
{
    beginResetModel();
    m_store.clear();
    m_rows.clear();
    m_pending.clear();
    m_expanded.clear();
    m_pauseBoundary = m_store.endPosition();
    // Dedupe state is kept: clearing the view must not let a replay re-add old entries.
    endResetModel();
    Q_EMIT countChanged();
    Q_EMIT totalCountChanged();
    Q_EMIT pendingCountChanged();
}

void LogModel::noteKnownValues()
{
    if (m_store.sources().size() != m_knownSources || m_store.streams().size() != m_knownStreams) {
        m_knownSources = m_store.sources().size();
        m_knownStreams = m_store.streams().size();
        Q_EMIT knownValuesChanged();
    }
}

} // namespace opsdeck::logs
