#pragma once

// A strict reader of the Prometheus text format for the /metrics tests: every sample line is
// `name{labels} value`, every sample belongs to a family announced by HELP and TYPE before it.

#include <QHash>
#include <QList>
#include <QMap>
#include <QRegularExpression>
#include <QString>
#include <cmath>
#include <optional>

namespace opsdeck::testing {

struct PromSample
{
    QString name;
    QMap<QString, QString> labels;
    double value = 0;
};

struct PromScrape
{
    QHash<QString, QString> help;
    QHash<QString, QString> type;
    QList<PromSample> samples;
    QString problem; // empty when the text is valid

    // The value of the one sample named `name` whose labels include `labels`; nullopt if none.
    std::optional<double> value(const QString &name, const QMap<QString, QString> &labels = {}) const
    {
        for (const PromSample &s : samples) {
            if (s.name != name)
                continue;
            bool all = true;
            for (auto it = labels.cbegin(); it != labels.cend(); ++it)
                all = all && s.labels.value(it.key()) == it.value();
            if (all)
                return s.value;
        }
        return std::nullopt;
    }
};

inline std::optional<QMap<QString, QString>> parsePromLabels(const QString &text)
{
    QMap<QString, QString> labels;
    qsizetype i = 0;
    static const QRegularExpression nameRe(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_]*"));
    while (i < text.size()) {
        const auto m = nameRe.match(text.mid(i));
        if (!m.hasMatch())
            return std::nullopt;
        const QString name = m.captured(0);
        i += name.size();
        if (text.mid(i, 2) != QLatin1StringView("=\""))
            return std::nullopt;
        i += 2;
        QString value;
        bool closed = false;
        while (i < text.size()) {
            const QChar c = text.at(i++);
            if (c == u'\\') {
                if (i >= text.size())
                    return std::nullopt;
                const QChar e = text.at(i++);
                if (e == u'n')
                    value += u'\n';
                else if (e == u'\\' || e == u'"')
                    value += e;
                else
                    return std::nullopt;
            } else if (c == u'"') {
                closed = true;
                break;
            } else {
                value += c;
            }
        }
        if (!closed || labels.contains(name))
            return std::nullopt;
        labels.insert(name, value);
        if (i < text.size()) {
            if (text.at(i) != u',')
                return std::nullopt;
            ++i;
        }
    }
    return labels;
}

inline PromScrape parseProm(const QString &text)
{
    PromScrape scrape;
    static const QRegularExpression sampleRe(
        QStringLiteral("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$"));
    static const QRegularExpression metaRe(QStringLiteral("^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$"));
    const QStringList lines = text.split(u'\n');
    if (!text.endsWith(u'\n'))
        scrape.problem = QStringLiteral("does not end with a newline");
    for (const QString &line : lines) {
        if (line.isEmpty() || !scrape.problem.isEmpty())
            continue;
        if (line.startsWith(u'#')) {
            const auto m = metaRe.match(line);
            if (!m.hasMatch()) {
                scrape.problem = QStringLiteral("bad comment line: ") + line;
            } else if (m.captured(1) == QLatin1StringView("HELP")) {
                scrape.help.insert(m.captured(2), m.captured(3));
            } else {
                static const QStringList types {
                    QStringLiteral("counter"), QStringLiteral("gauge"), QStringLiteral("histogram")};
                if (!types.contains(m.captured(3)) || scrape.type.contains(m.captured(2)))
                    scrape.problem = QStringLiteral("bad or repeated TYPE: ") + line;
                else if (!scrape.help.contains(m.captured(2)))
                    scrape.problem = QStringLiteral("TYPE without HELP before it: ") + line;
                scrape.type.insert(m.captured(2), m.captured(3));
            }
            continue;
        }
        const auto m = sampleRe.match(line);
        if (!m.hasMatch()) {
            scrape.problem = QStringLiteral("not `name{labels} value`: ") + line;
            continue;
        }
        PromSample sample;
        sample.name = m.captured(1);
        const auto labels = parsePromLabels(m.captured(2));
        if (!labels) {
            scrape.problem = QStringLiteral("bad labels: ") + line;
            continue;
        }
        sample.labels = *labels;
        const QString value = m.captured(3);
        bool ok = true;
        if (value == QLatin1StringView("+Inf"))
            sample.value = INFINITY;
        else if (value == QLatin1StringView("-Inf"))
            sample.value = -INFINITY;
        else if (value == QLatin1StringView("NaN"))
            sample.value = NAN;
        else
            sample.value = value.toDouble(&ok);
        if (!ok) {
            scrape.problem = QStringLiteral("bad value: ") + line;
            continue;
        }
        // The family: the name itself, or a histogram's name without its suffix.
        QString family = sample.name;
        for (const char *suffix : {"_bucket", "_sum", "_count"}) {
            const QString base
                = sample.name.chopped(std::min<qsizetype>(sample.name.size(), qstrlen(suffix)));
            if (sample.name.endsWith(QLatin1StringView(suffix))
                && scrape.type.value(base) == QLatin1StringView("histogram"))
                family = base;
        }
        if (!scrape.type.contains(family) || !scrape.help.contains(family)) {
            scrape.problem = QStringLiteral("sample without HELP/TYPE before it: ") + line;
            continue;
        }
        if (scrape.type.value(family) == QLatin1StringView("histogram") && family == sample.name) {
            scrape.problem = QStringLiteral("histogram sample without _bucket/_sum/_count: ") + line;
            continue;
        }
        if (scrape.type.value(family) == QLatin1StringView("counter")
            && !sample.name.endsWith(QLatin1StringView("_total"))) {
            scrape.problem = QStringLiteral("counter not named *_total: ") + line;
            continue;
        }
        scrape.samples.append(sample);
    }
    return scrape;
}

} // namespace opsdeck::testing
