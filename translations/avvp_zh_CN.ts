<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>avvp::ui::LabelGridView</name>
    <message>
        <location filename="../ui/label_grid_view.cpp" line="+22"/>
        <source>Audio</source>
        <translation>音频</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Visual</source>
        <translation>视觉</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audio-Visual</source>
        <translation>视听</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Select a video to see its events</source>
        <translation>选择一个视频以查看其事件</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>weak labels only: no dense annotation for this video</source>
        <translation>仅有弱标签：此视频没有密集标注</translation>
    </message>
</context>
<context>
    <name>avvp::ui::MainWindow</name>
    <message>
        <location filename="../ui/main_window.cpp" line="+43"/>
        <source>AVVP Studio</source>
        <translation>AVVP Studio</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open LLP Folder…</source>
        <translation>打开 LLP 文件夹(&amp;O)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Reload</source>
        <translation>重新加载(&amp;R)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Filters</source>
        <translation>筛选</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> Split: </source>
        <translation> 划分：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>val</source>
        <translation>验证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>  Class: </source>
        <translation>  类别：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>any</source>
        <translation>任意</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>  Search: </source>
        <translation>  搜索：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>video id or label</source>
        <translation>视频 ID 或标签</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>File anomalies</source>
        <translation>文件异常</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About AVVP Studio</source>
        <translation>关于 AVVP Studio(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About AVVP Studio</source>
        <translation>关于 AVVP Studio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;AVVP Studio&lt;/b&gt; %1&lt;br&gt;Audio-visual video parsing: browse, annotate and score LLP-style event labels.&lt;br&gt;LLP annotations: Tian et al., ECCV 2020.</source>
        <translation>&lt;b&gt;AVVP Studio&lt;/b&gt; %1&lt;br&gt;视听视频解析：浏览、标注并评估 LLP 风格的事件标签。&lt;br&gt;LLP 标注：Tian 等，ECCV 2020。</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>AVVP Studio — %1</source>
        <translation>AVVP Studio — %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Cannot open LLP folder</source>
        <translation>无法打开 LLP 文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The LLP folder could not be read:
%1</source>
        <translation>无法读取 LLP 文件夹：
%1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open LLP annotation folder</source>
        <translation>打开 LLP 标注文件夹</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>No LLP folder open (File ▸ Open LLP Folder…)</source>
        <translation>未打开 LLP 文件夹（文件 ▸ 打开 LLP 文件夹…）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 of %2 videos shown · train %3, val %4, test %5 · %6 audio and %7 visual rows · %8 anomalies tolerated</source>
        <translation>显示 %1 / %2 个视频 · 训练 %3，验证 %4，测试 %5 · 音频 %6 行，视觉 %7 行 · 容忍 %8 处异常</translation>
    </message>
</context>
<context>
    <name>avvp::ui::VideoTableModel</name>
    <message>
        <location filename="../ui/video_table_model.cpp" line="+88"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Split</source>
        <translation>划分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weak labels</source>
        <translation>弱标签</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audio events</source>
        <translation>音频事件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Visual events</source>
        <translation>视觉事件</translation>
    </message>
</context>
</TS>
