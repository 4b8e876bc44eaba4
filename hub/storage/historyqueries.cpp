// The read side of HistoryStore: range reads for `since` replay, filtered backwards pages for the
// `history` query, and counts. Every read first commits what is queued, so the database always
// holds a contiguous run of seqs up to the topic's head when it is asked.

#include "historystore.h"
#include "storagelog.h"

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck::hub::storage {

namespace {
    constexpr QLatin1StringView kColumns {"seq, epoch, ts, source, level, stream, text, json"};
    // GLOB pattern matching any text that holds a character outside ASCII.
    const QString kNonAsciiGlob
        = QStringLiteral("*[^") + QChar(1) + QStringLiteral("-") + QChar(0x7f) + QStringLiteral("]*");

    bool isAscii(const QString &text)
    {
        for (const QChar c : text) {
            if (c.unicode() >= 0x80 || c.unicode() == 0)
                return false;
        }
        return true;
    }

    HistoryEntry entryFrom(const QSqlQuery &query, const QString &topic)
    {
        HistoryEntry entry;
        entry.topic = topic;
        entry.seq = quint64(query.value(0).toLongLong());
        entry.epoch = query.value(1).toString();
        entry.timeMs = query.value(2).toLongLong();
        entry.source = query.value(3).toString();
        entry.level = query.value(4).toString();
        entry.stream = query.value(5).toString();
        entry.text = query.value(6).toString();
        entry.json = query.value(7).toByteArray();
        return entry;
    }

    void appendList(QString &where, QVariantList &binds, QLatin1StringView column, const QStringList &values)
    {
        if (values.isEmpty())
            return;
        // An entry without the field is never excluded by it (docs/protocol.md §4.1).
        where += QStringLiteral(" AND (%1 = '' OR %1 IN (").arg(column);
        for (qsizetype i = 0; i < values.size(); ++i) {
            where += i == 0 ? QStringLiteral("?") : QStringLiteral(", ?");
            binds.append(values.at(i));
        }
        where += QStringLiteral("))");
    }
    // The exact per-row check behind SQL's narrowing; empty when SQL decides alone.
    std::function<bool(const HistoryEntry &)> rowCheck(const HistoryFilter &filter)
    {
        if (filter.accept)
            return filter.accept;
        if (filter.text.isEmpty())
            return {};
        if (filter.regex) {
            const QRegularExpression expression(filter.text, QRegularExpression::CaseInsensitiveOption);
            return
                [expression](const HistoryEntry &entry) { return expression.match(entry.text).hasMatch(); };
        }
        return [text = filter.text](
                   const HistoryEntry &entry) { return entry.text.contains(text, Qt::CaseInsensitive); };
    }
} // namespace

bool HistoryFilter::isEmpty() const
{
    return sources.isEmpty() && levels.isEmpty() && streams.isEmpty() && text.isEmpty() && fromMs == 0
        && toMs == 0 && !accept;
}

QString HistoryStore::whereClause(const HistoryFilter &filter, QVariantList &binds) const
{
    QString where;
    appendList(where, binds, QLatin1StringView("source"), filter.sources);
    appendList(where, binds, QLatin1StringView("level"), filter.levels);
    appendList(where, binds, QLatin1StringView("stream"), filter.streams);
    if (filter.fromMs > 0) {
        where += QStringLiteral(" AND ts >= ?");
        binds.append(filter.fromMs);
    }
    if (filter.toMs > 0) {
        where += QStringLiteral(" AND ts <= ?");
        binds.append(filter.toMs);
    }
    // SQLite's lower() folds ASCII only: rows with other characters go to the exact check in
    // C++ (rowCheck()) instead of being ruled out here, so the result equals Qt's case folding.
    if (!filter.text.isEmpty() && !filter.regex && isAscii(filter.text)) {
        where += QStringLiteral(" AND (instr(lower(text), ?) > 0 OR text GLOB ?)");
        binds.append(filter.text.toLower());
        binds.append(kNonAsciiGlob);
    }
    return where;
}

quint64 HistoryStore::oldestSeq(const QString &topic) const
{
    const auto it = m_topics.constFind(topic);
    return it == m_topics.cend() ? 0 : it->oldestSeq;
}

quint64 HistoryStore::headSeq(const QString &topic) const
{
    const auto it = m_topics.constFind(topic);
    return it == m_topics.cend() ? 0 : it->headSeq;
}

qint64 HistoryStore::storedCount(const QString &topic)
{
    const quint64 oldest = oldestSeq(topic);
    return oldest == 0 ? 0 : count(topic, oldest, headSeq(topic), HistoryFilter());
}

std::vector<HistoryEntry> HistoryStore::readRange(
    const QString &topic, quint64 fromSeq, quint64 toSeq, qsizetype limit)
{
    std::vector<HistoryEntry> entries;
    const quint64 oldest = oldestSeq(topic);
    fromSeq = std::max(fromSeq, oldest);
    toSeq = std::min(toSeq, headSeq(topic));
    if (!m_open || oldest == 0 || fromSeq > toSeq || limit <= 0)
        return entries;
    flush();
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT %1 FROM %2 WHERE seq BETWEEN ? AND ? ORDER BY seq LIMIT ?")
                      .arg(kColumns, tableOf(topic)));
    query.addBindValue(qint64(fromSeq));
    query.addBindValue(qint64(toSeq));
    query.addBindValue(qint64(limit));
    if (!query.exec()) {
        qCWarning(lcStorage) << "history store: read of" << topic << "failed:" << query.lastError().text();
        return entries;
    }
    entries.reserve(size_t(std::min<quint64>(quint64(limit), toSeq - fromSeq + 1)));
    while (query.next())
        entries.push_back(entryFrom(query, topic));
    return entries;
}

std::vector<HistoryEntry> HistoryStore::readBackward(
    const QString &topic, quint64 atOrBelow, const HistoryFilter &filter, qsizetype limit)
{
    std::vector<HistoryEntry> entries;
    const quint64 oldest = oldestSeq(topic);
    quint64 upper = std::min(atOrBelow, headSeq(topic));
    if (!m_open || oldest == 0 || upper < oldest || limit <= 0)
        return entries;
    flush();
    QVariantList filterBinds;
    const QString where = whereClause(filter, filterBinds);
    const auto check = rowCheck(filter);
    const bool checkRows = bool(check);
    // Rows SQL lets through may still fail the exact text check: read in pages until enough pass.
    const qsizetype page = checkRows ? std::max<qsizetype>(limit * 2, 512) : limit;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT %1 FROM %2 WHERE seq BETWEEN ? AND ?%3 ORDER BY seq DESC LIMIT ?")
                      .arg(kColumns, tableOf(topic), where));
    while (qsizetype(entries.size()) < limit && upper >= oldest) {
        int bind = 0;
        query.bindValue(bind++, qint64(oldest));
        query.bindValue(bind++, qint64(upper));
        for (const QVariant &value : std::as_const(filterBinds))
            query.bindValue(bind++, value);
        query.bindValue(bind++, qint64(page));
        if (!query.exec()) {
            qCWarning(lcStorage) << "history store: query of" << topic
                                 << "failed:" << query.lastError().text();
            break;
        }
        qsizetype rows = 0;
        quint64 lowest = upper;
        while (query.next() && qsizetype(entries.size()) < limit) {
            HistoryEntry entry = entryFrom(query, topic);
            ++rows;
            lowest = entry.seq;
            if (!checkRows || check(entry))
                entries.push_back(std::move(entry));
        }
        if (rows < page || lowest <= oldest)
            break;
        upper = lowest - 1;
    }
    return entries;
}

qint64 HistoryStore::count(const QString &topic, quint64 fromSeq, quint64 toSeq, const HistoryFilter &filter)
{
    const quint64 oldest = oldestSeq(topic);
    fromSeq = std::max(fromSeq, oldest);
    toSeq = std::min(toSeq, headSeq(topic));
    if (!m_open || oldest == 0 || fromSeq > toSeq)
        return 0;
    // The stored run is contiguous (see HistoryStore): without a filter the count is arithmetic.
    if (filter.isEmpty())
        return qint64(toSeq - fromSeq + 1);
    flush();
    QVariantList filterBinds;
    const QString where = whereClause(filter, filterBinds);
    const auto check = rowCheck(filter);
    const bool checkRows = bool(check);
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(checkRows ? QStringLiteral("SELECT %1 FROM %2 WHERE seq BETWEEN ? AND ?%3")
                                  .arg(kColumns, tableOf(topic), where)
                            : QStringLiteral("SELECT count(*) FROM %1 WHERE seq BETWEEN ? AND ?%2")
                                  .arg(tableOf(topic), where));
    int bind = 0;
    query.bindValue(bind++, qint64(fromSeq));
    query.bindValue(bind++, qint64(toSeq));
    for (const QVariant &value : std::as_const(filterBinds))
        query.bindValue(bind++, value);
    if (!query.exec()) {
        qCWarning(lcStorage) << "history store: count of" << topic << "failed:" << query.lastError().text();
        return 0;
    }
    if (!checkRows)
        return query.next() ? query.value(0).toLongLong() : 0;
    qint64 matching = 0;
    while (query.next())
        matching += check(entryFrom(query, topic)) ? 1 : 0;
    return matching;
}

} // namespace opsdeck::hub::storage
