#include "progresstext.h"

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

using namespace Qt::StringLiterals;

QString ProgressText::amount(double value, const QString &unit)
{
    const QLocale locale;
    if (unit == u"bytes")
        return locale.formattedDataSize(qint64(value), 1, QLocale::DataSizeIecFormat);
    const QString number = std::abs(value - std::round(value)) < 1e-9
        ? locale.toString(qint64(std::llround(value)))
        : locale.toString(value, 'f', 1);
    if (unit.isEmpty())
        return number;
    return number + u' ' + unit;
}

QString ProgressText::speed(double perSecond, const QString &unit)
{
    if (!(perSecond > 0) || !std::isfinite(perSecond))
        return {};
    const QLocale locale;
    if (unit == u"bytes")
        return QCoreApplication::translate("ProgressText", "%1/s")
            .arg(locale.formattedDataSize(qint64(perSecond), 1, QLocale::DataSizeIecFormat));
    const QString number = locale.toString(perSecond, 'f', perSecond < 10 ? 1 : 0);
    return QCoreApplication::translate("ProgressText", "%1 %2/s")
        .arg(number, unit.isEmpty() ? QCoreApplication::translate("ProgressText", "items") : unit);
}

QString ProgressText::duration(std::optional<double> seconds)
{
    // Rounded and worded like the page's formatEta (web/js/format.js): two units at most, a
    // zero second unit left out ("1 min", "2 h 5 min").
    if (!seconds || !std::isfinite(*seconds) || *seconds < 0)
        return {};
    const qint64 s = qint64(std::llround(*seconds));
    const auto two = [](const char *both, const char *one, qint64 big, qint64 small) {
        return small > 0 ? QCoreApplication::translate("ProgressText", both).arg(big).arg(small)
                         : QCoreApplication::translate("ProgressText", one).arg(big);
    };
    if (s < 60)
        return QCoreApplication::translate("ProgressText", "%1 s").arg(s);
    if (s < 3600)
        return two(QT_TRANSLATE_NOOP("ProgressText", "%1 min %2 s"),
                   QT_TRANSLATE_NOOP("ProgressText", "%1 min"), s / 60, s % 60);
    if (s < 86400)
        return two(QT_TRANSLATE_NOOP("ProgressText", "%1 h %2 min"),
                   QT_TRANSLATE_NOOP("ProgressText", "%1 h"), s / 3600, (s % 3600) / 60);
    return two(QT_TRANSLATE_NOOP("ProgressText", "%1 d %2 h"),
               QT_TRANSLATE_NOOP("ProgressText", "%1 d"), s / 86400, (s % 86400) / 3600);
}

QString ProgressText::eta(std::optional<double> seconds)
{
    const QString d = duration(seconds);
    return d.isEmpty() ? d : QCoreApplication::translate("ProgressText", "%1 left").arg(d);
}
