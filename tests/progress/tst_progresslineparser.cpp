#include "app/progress/progressline.h"

#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(ProgressFormat)
Q_DECLARE_METATYPE(ProgressLine)

namespace {
ProgressLine percent(double p, int bar = -1)
{
    ProgressLine l;
    l.recognized = true;
    l.percent = p;
    l.bar = bar;
    return l;
}

ProgressLine text(const QString &t, int bar = -1)
{
    ProgressLine l;
    l.recognized = true;
    l.text = t;
    l.bar = bar;
    return l;
}

ProgressLine percentText(double p, const QString &t)
{
    ProgressLine l = percent(p);
    l.text = t;
    return l;
}

ProgressLine pulsate(bool on, int bar = -1)
{
    ProgressLine l;
    l.recognized = true;
    l.pulsate = on;
    l.bar = bar;
    return l;
}

ProgressLine step(int index)
{
    ProgressLine l;
    l.recognized = true;
    l.step = index;
    return l;
}

ProgressLine stepLabel(const QString &label)
{
    ProgressLine l;
    l.recognized = true;
    l.stepLabel = label;
    return l;
}

ProgressLine ignored()
{
    return ProgressLine {};
}
} // namespace

// The one table of line parsers, each grammar fed lines recorded from the programs that write
// them (zenity scripts, yad, apt-get -o APT::Status-Fd=1, wget, curl -#, rsync, pv -n).
class TestProgressLineParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<ProgressFormat>("format");
        QTest::addColumn<int>("bars");
        QTest::addColumn<QString>("line");
        QTest::addColumn<ProgressLine>("expected");
        const auto Z = ProgressFormat::Zenity;
        const auto A = ProgressFormat::Apt;
        const auto P = ProgressFormat::Percent;

        // zenity: the shell loops of its manual
        QTest::newRow("zenity integer") << Z << 0 << u"25"_s << percent(25);
        QTest::newRow("zenity 42% skips the sign") << Z << 0 << u"42%"_s << percent(42);
        QTest::newRow("zenity decimal point") << Z << 0 << u"12.5"_s << percent(12.5);
        QTest::newRow("zenity decimal comma") << Z << 0 << u"12,5"_s << percent(12.5);
        QTest::newRow("zenity clamps above 100") << Z << 0 << u"250"_s << percent(100);
        QTest::newRow("zenity blanks around") << Z << 0 << u"  75  "_s << percent(75);
        QTest::newRow("zenity 1:30 without bars") << Z << 0 << u"1:30"_s << percent(100);
        QTest::newRow("zenity text")
            << Z << 0 << u"# Updating mail logs"_s << text(u"Updating mail logs"_s);
        QTest::newRow("zenity text markup kept")
            << Z << 0 << u"#Tom & <Jerry>"_s << text(u"Tom & <Jerry>"_s);
        QTest::newRow("zenity text escapes") << Z << 0 << u"#one\\ntwo"_s << text(u"one\ntwo"_s);
        QTest::newRow("zenity empty text") << Z << 0 << u"#"_s << text(QString());
        QTest::newRow("zenity pulsate:true") << Z << 0 << u"pulsate:true"_s << pulsate(true);
        QTest::newRow("zenity pulsate:false") << Z << 0 << u"pulsate:false"_s << pulsate(false);
        QTest::newRow("zenity other line") << Z << 0 << u"Reading package lists..."_s << ignored();
        QTest::newRow("zenity negative is not a digit") << Z << 0 << u"-5"_s << ignored();
        QTest::newRow("zenity empty") << Z << 0 << QString() << ignored();
        // steps
        QTest::newRow("step number") << Z << 0 << u"step:2"_s << step(1);
        QTest::newRow("step label") << Z << 0 << u"step: Unpack"_s << stepLabel(u"Unpack"_s);
        QTest::newRow("step zero") << Z << 0 << u"step:0"_s << ignored();
        // yad's bars
        QTest::newRow("yad bar value") << Z << 2 << u"2:50"_s << percent(50, 1);
        QTest::newRow("yad bar text") << Z << 2 << u"1:#Downloading"_s << text(u"Downloading"_s, 0);
        QTest::newRow("yad bar pulsate") << Z << 2 << u"2:pulsate"_s << pulsate(true, 1);
        QTest::newRow("yad bar out of range") << Z << 2 << u"3:50"_s << percent(100);
        QTest::newRow("yad plain percent with bars") << Z << 2 << u"40"_s << percent(40);

        // apt-get -o APT::Status-Fd=1 install -y xdotool (Debian 12)
        QTest::newRow("apt dlstatus start")
            << A << 0 << u"dlstatus:1:0.0000:Retrieving file 1 of 2"_s
            << percentText(0, u"Retrieving file 1 of 2"_s);
        QTest::newRow("apt dlstatus") << A << 0 << u"dlstatus:2:54.7767:Retrieving file 2 of 2"_s
                                      << percentText(54.7767, u"Retrieving file 2 of 2"_s);
        QTest::newRow("apt pmstatus dpkg") << A << 0 << u"pmstatus:dpkg-exec:0.0000:Running dpkg"_s
                                           << percentText(0, u"Running dpkg"_s);
        QTest::newRow("apt pmstatus unpack")
            << A << 0 << u"pmstatus:xdotool:20.0000:Unpacking xdotool (amd64)"_s
            << percentText(20, u"Unpacking xdotool (amd64)"_s);
        QTest::newRow("apt text with colons")
            << A << 0 << u"pmstatus:libc6:amd64:40.0000:Configuring libc6:amd64"_s
            << percentText(40, u"Configuring libc6:amd64"_s);
        ProgressLine aptError = percent(60);
        aptError.error
            = u"xdotool: subprocess installed post-installation script returned error exit status 1"_s;
        QTest::newRow("apt pmerror")
            << A << 0
            << u"pmerror:xdotool:60.0000:subprocess installed post-installation script returned error exit status 1"_s
            << aptError;
        QTest::newRow("apt conffile prompt ignored")
            << A << 0 << u"pmconffile:/etc/foo.conf:40.0000:' '/etc/foo.conf' 1 1"_s << ignored();
        QTest::newRow("apt ordinary output")
            << A << 0 << u"Reading package lists..."_s << ignored();
        QTest::newRow("apt zenity percent is output") << A << 0 << u"50"_s << ignored();

        // the last NN% of a line
        QTest::newRow("wget dot progress")
            << P << 0
            << u"   50K .......... .......... .......... .......... ..........  4% 1.21M 10s"_s
            << percent(4);
        QTest::newRow("curl -#")
            << P << 0 << u"######################                                       31.7%"_s
            << percent(31.7);
        QTest::newRow("rsync progress2")
            << P << 0 << u"     32,768,000  31%   31.25MB/s    0:00:02 (xfr#1, to-chk=0/1)"_s
            << percent(31);
        QTest::newRow("last of two") << P << 0 << u"file 1/2 50% total 25%"_s << percent(25);
        QTest::newRow("percent sign alone") << P << 0 << u"100 % done"_s << ignored();
        QTest::newRow("percent text line") << P << 0 << u"# Fetching"_s << text(u"Fetching"_s);
        QTest::newRow("percent no number") << P << 0 << u"Resolving example.org..."_s << ignored();
        QTest::newRow("percent clamps") << P << 0 << u"at 180%"_s << percent(100);
    }

    void parse()
    {
        QFETCH(ProgressFormat, format);
        QFETCH(int, bars);
        QFETCH(QString, line);
        QFETCH(ProgressLine, expected);
        const ProgressLine got = ProgressLineParser::parse(format, line, bars);
        QCOMPARE(got.recognized, expected.recognized);
        QCOMPARE(got.bar, expected.bar);
        QCOMPARE(got.percent.has_value(), expected.percent.has_value());
        if (expected.percent)
            QCOMPARE(*got.percent, *expected.percent);
        QCOMPARE(got.text, expected.text);
        QCOMPARE(got.pulsate, expected.pulsate);
        QCOMPARE(got.step, expected.step);
        QCOMPARE(got.stepLabel, expected.stepLabel);
        QCOMPARE(got.error, expected.error);
    }

    void formatNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("known");
        QTest::newRow("zenity") << u"zenity"_s << true;
        QTest::newRow("apt") << u"apt"_s << true;
        QTest::newRow("percent") << u"percent"_s << true;
        QTest::newRow("yad") << u"yad"_s << false;
    }

    void formatNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, known);
        QCOMPARE(ProgressLineParser::formatFromName(name).has_value(), known);
    }
};

QTEST_GUILESS_MAIN(TestProgressLineParser)
#include "tst_progresslineparser.moc"
