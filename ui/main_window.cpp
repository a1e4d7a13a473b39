#include "ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include "core/error.h"
#include "ui/label_grid_view.h"
#include "ui/video_filter_proxy.h"
#include "ui/video_table_model.h"

namespace avvp {
namespace ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    buildUi();
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

MainWindow::~MainWindow() = default;

void MainWindow::buildUi() {
    setWindowTitle(tr("AVVP Studio"));
    resize(1280, 820);

    auto* fileMenu = menuBar()->addMenu(tr("&File"));
    auto* openAct = fileMenu->addAction(tr("&Open LLP Folder…"), this, &MainWindow::chooseFolder);
    openAct->setShortcut(QKeySequence::Open);
    auto* reloadAct = fileMenu->addAction(tr("&Reload"), this, [this] {
        if (dataset_) openFolder(QString::fromStdString(dataset_->folder.string()));
    });
    reloadAct->setShortcut(QKeySequence::Refresh);
    fileMenu->addSeparator();
    auto* quitAct = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quitAct->setShortcut(QKeySequence::Quit);
    // Filter bar: split, class, free text.
    auto* bar = addToolBar(tr("Filters"));
    bar->setObjectName(QStringLiteral("filters"));
    bar->setMovable(false);
    bar->addWidget(new QLabel(tr(" Split: "), bar));
    splitCombo_ = new QComboBox(bar);
    splitCombo_->addItem(tr("train"), QStringLiteral("train"));
    splitCombo_->addItem(tr("val"), QStringLiteral("val"));
    splitCombo_->addItem(tr("test"), QStringLiteral("test"));
    splitCombo_->addItem(tr("all"), QStringLiteral("all"));
    splitCombo_->setCurrentIndex(2);
    bar->addWidget(splitCombo_);
    bar->addWidget(new QLabel(tr("  Class: "), bar));
    classCombo_ = new QComboBox(bar);
    classCombo_->addItem(tr("any"), -1);
    for (int c = 0; c < core::kNumClasses; ++c)
        classCombo_->addItem(QString::fromLatin1(core::kClassNames[static_cast<std::size_t>(c)].data()), c);
    bar->addWidget(classCombo_);
    bar->addWidget(new QLabel(tr("  Search: "), bar));
    search_ = new QLineEdit(bar);
    search_->setPlaceholderText(tr("video id or label"));
    search_->setClearButtonEnabled(true);
    search_->setMaximumWidth(260);
    bar->addWidget(search_);

    model_ = new VideoTableModel(this);
    proxy_ = new VideoFilterProxy(this);
    proxy_->setSourceModel(model_);
    table_ = new QTableView(this);
    table_->setModel(proxy_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setSortingEnabled(true);
    table_->sortByColumn(VideoTableModel::ColIndex, Qt::AscendingOrder);
    table_->setAlternatingRowColors(true);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(22);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setColumnWidth(VideoTableModel::ColIndex, 52);
    table_->setColumnWidth(VideoTableModel::ColFilename, 170);
    table_->setColumnWidth(VideoTableModel::ColSplit, 50);
    table_->setColumnWidth(VideoTableModel::ColWeak, 230);
    table_->setColumnWidth(VideoTableModel::ColAudio, 300);

    grid_ = new LabelGridView(this);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(grid_);
    scroll->setWidgetResizable(true);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(table_);
    splitter->addWidget(scroll);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    setCentralWidget(splitter);

    anomalies_ = new QListWidget(this);
    anomalies_->setAlternatingRowColors(true);
    auto* dock = new QDockWidget(tr("File anomalies"), this);
    dock->setObjectName(QStringLiteral("anomalies"));
    dock->setWidget(anomalies_);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    dock->hide();
    auto* viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addAction(dock->toggleViewAction());
    auto* helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About AVVP Studio"), this, [this] {
        QMessageBox::about(this, tr("About AVVP Studio"),
                           tr("<b>AVVP Studio</b> %1<br>Audio-visual video parsing: browse, "
                              "annotate and score LLP-style event labels.<br>LLP annotations: "
                              "Tian et al., ECCV 2020.")
                               .arg(QApplication::applicationVersion()));
    });

    statusLabel_ = new QLabel(this);
    statusBar()->addWidget(statusLabel_, 1);

    connect(splitCombo_, &QComboBox::currentIndexChanged, this, &MainWindow::onSplitChanged);
    connect(classCombo_, &QComboBox::currentIndexChanged, this,
            [this] { proxy_->setClassFilter(classCombo_->currentData().toInt()); updateStatus(); });
    connect(search_, &QLineEdit::textChanged, this,
            [this](const QString& t) { proxy_->setText(t); updateStatus(); });
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::onCurrentRowChanged);
    updateStatus();
}

bool MainWindow::openFolder(const QString& folder, bool interactive) {
    try {
        auto loaded = std::make_unique<core::LlpDataset>(core::loadLlpFolder(folder.toStdString()));
        grid_->setVideo(nullptr);
        model_->setDataset(nullptr);
        dataset_ = std::move(loaded);
        model_->setDataset(dataset_.get());
        onSplitChanged();
        anomalies_->clear();
        for (const auto& a : dataset_->anomalies)
            anomalies_->addItem(QStringLiteral("%1:%2: %3: %4")
                                    .arg(QFileInfo(QString::fromStdString(a.file)).fileName())
                                    .arg(a.line)
                                    .arg(QString::fromLatin1(core::anomalyName(a.kind).data()))
                                    .arg(QString::fromStdString(a.detail)));
        lastError_.clear();
        QSettings().setValue(QStringLiteral("llp/lastFolder"), folder);
        setWindowTitle(tr("AVVP Studio — %1").arg(QDir::toNativeSeparators(folder)));
        updateStatus();
        return true;
    } catch (const core::InputError& e) {
        lastError_ = QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        lastError_ = QString::fromStdString(e.what());
    }
    if (interactive)
        QMessageBox::critical(this, tr("Cannot open LLP folder"),
                              tr("The LLP folder could not be read:\n%1").arg(lastError_));
    statusBar()->showMessage(lastError_, 10000);
    return false;
}

void MainWindow::chooseFolder() {
    const QString start = dataset_ ? QString::fromStdString(dataset_->folder.string()) : QString();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open LLP annotation folder"), start);
    if (!dir.isEmpty()) openFolder(dir);
}

void MainWindow::setSplit(const QString& name) {
    const int i = splitCombo_->findData(name);
    if (i >= 0) splitCombo_->setCurrentIndex(i);
}

void MainWindow::onSplitChanged() {
    const auto name = splitCombo_->currentData().toString().toStdString();
    model_->setSplit(core::splitFromName(name));
    grid_->setVideo(nullptr);
    if (proxy_->rowCount() > 0) table_->selectRow(0);
    updateStatus();
}

bool MainWindow::selectVideo(const QString& filename) {
    for (int r = 0; r < proxy_->rowCount(); ++r) {
        const auto idx = proxy_->index(r, VideoTableModel::ColFilename);
        if (idx.data().toString() == filename) {
            table_->selectRow(r);
            table_->scrollTo(idx);
            return true;
        }
    }
    return false;
}

void MainWindow::onCurrentRowChanged() {
    const auto current = table_->selectionModel()->currentIndex();
    if (!current.isValid() || !dataset_) {
        grid_->setVideo(nullptr);
        return;
    }
    const int i = proxy_->data(current, VideoTableModel::VideoIndexRole).toInt();
    grid_->setVideo(&dataset_->videos[static_cast<std::size_t>(i)]);
}

void MainWindow::updateStatus() {
    if (!dataset_) {
        statusLabel_->setText(tr("No LLP folder open (File ▸ Open LLP Folder…)"));
        return;
    }
    const auto& d = *dataset_;
    statusLabel_->setText(
        tr("%1 of %2 videos shown · train %3, val %4, test %5 · %6 audio and %7 visual rows · "
           "%8 anomalies tolerated")
            .arg(proxy_->rowCount())
            .arg(model_->rowCount())
            .arg(d.count(core::Split::Train))
            .arg(d.count(core::Split::Val))
            .arg(d.count(core::Split::Test))
            .arg(d.audioRows)
            .arg(d.visualRows)
            .arg(d.anomalies.size()));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

}  // namespace ui
}  // namespace avvp
