#include "actionfactory.h"

#include <QAction>
#include <QWidget>

QAction *makeAction(QWidget *styleSource, QObject *parent, const QString &text, const QString &name,
                    const QKeySequence &key, QStyle::StandardPixmap icon, const QString &themeIcon)
{
    auto *a = new QAction(QIcon::fromTheme(themeIcon, styleSource->style()->standardIcon(icon)),
                          text, parent);
    a->setObjectName(name);
    if (!key.isEmpty())
        a->setShortcut(key);
    a->setToolTip(key.isEmpty()
                      ? a->text().remove(u'&')
                      : QWidget::tr("%1 (%2)").arg(a->text().remove(u'&'),
                                                   key.toString(QKeySequence::NativeText)));
    return a;
}
