#include "prometheustext.h"

#include <QLocale>
#include <cmath>
#include <limits>

namespace opsdeck::hub::observability {

void PrometheusWriter::family(const char *name, Type type, const char *help)
{
    m_family = name;
    const char *typeName = type == Type::Counter ? "counter" : type == Type::Gauge ? "gauge" : "histogram";
    m_text += "# HELP " + m_family + ' ' + escapeHelp(help) + '\n';
    m_text += "# TYPE " + m_family + ' ' + typeName + '\n';
}

void PrometheusWriter::sampleSuffixed(const char *suffix, double value, const Labels &labels)
{
    sampleNamed(m_family + suffix, value, labels);
}

void PrometheusWriter::sampleNamed(const QByteArray &name, double value, const Labels &labels)
{
    m_text += name;
    if (!labels.isEmpty()) {
        m_text += '{';
        for (qsizetype i = 0; i < labels.size(); ++i) {
            if (i > 0)
                m_text += ',';
            m_text += labels[i].first.toUtf8() + "=\"" + escapeLabelValue(labels[i].second) + '"';
        }
        m_text += '}';
    }
    m_text += ' ' + formatValue(value) + '\n';
}

QByteArray PrometheusWriter::escapeLabelValue(const QString &value)
{
    QByteArray out;
    const QByteArray utf8 = value.toUtf8();
    out.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray PrometheusWriter::escapeHelp(const char *help)
{
    // HELP escapes backslash and newline, not quotes.
    return QByteArray(help).replace('\\', "\\\\").replace('\n', "\\n");
}

QByteArray PrometheusWriter::formatValue(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    // Counters are integers; print them without an exponent up to 2^53 (exact in a double).
    if (value == std::floor(value) && std::fabs(value) < 9007199254740992.0)
        return QByteArray::number(qint64(value));
    // The shortest text that reads back as the same double (0.0005, not 0.00050000000000000001),
    // without an exponent where that stays short (bucket bounds read better as 5e-05 → 0.00005).
    const double magnitude = std::fabs(value);
    const char format = magnitude >= 1e-6 && magnitude < 1e15 ? 'f' : 'g';
    return QByteArray::number(value, format, QLocale::FloatingPointShortest);
}

} // namespace opsdeck::hub::observability
