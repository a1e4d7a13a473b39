<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>avvp::app::AdjudicationController</name>
    <message>
        <location filename="../app/studio/adjudication_controller.cpp" line="+48"/>
        <source>Set %1 already holds these labels.</source>
        <translation>集合 %1 已包含这些标签。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saved set %1 (edit %2): %3 label(s) added, %4 removed. Undo: avvp adjudicate --undo --store FILE --as %1</source>
        <translation>已保存集合 %1（编辑 %2）：新增 %3 个标签，删除 %4 个。撤销：avvp adjudicate --undo --store FILE --as %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
</context>
<context>
    <name>avvp::app::ComparisonController</name>
    <message>
        <location filename="../app/studio/comparison_controller.cpp" line="+22"/>
        <source>No comparison of the two runs: %1</source>
        <translation>无法对比这两个运行：%1</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Compared %1 (A) with %2 (B) over %3 videos in %4 ms: %5 cells only A gets right, %6 only B, %7 both get wrong</source>
        <translation>已在 %3 个视频上对比 %1（A）与 %2（B），用时 %4 毫秒：仅 A 判对 %5 个单元格，仅 B 判对 %6 个，两者都错 %7 个</translation>
    </message>
</context>
<context>
    <name>avvp::app::FeatureController</name>
    <message>
        <location filename="../app/studio/panel_controllers.cpp" line="+352"/>
        <source>Extract Features failed: %1</source>
        <translation>提取特征失败：%1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Extract features: %1</source>
        <translation>提取特征：%1</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Features of %n video(s) extracted</source>
        <translation>
            <numerusform>已提取 %n 个视频的特征</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source> (%n window(s), %1 s on %2).</source>
        <translation>
            <numerusform>（%n 个窗口，在 %2 上用时 %1 秒）。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No audio stream (audio features of silence): %1.</source>
        <translation>没有音频流（音频特征按静音计算）：%1。</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source> and %n more</source>
        <translation>
            <numerusform> 及另外 %n 个</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>Skipped %n video(s): %1</source>
        <translation>
            <numerusform>跳过了 %n 个视频：%1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>avvp::app::MainWindow</name>
    <message>
        <location filename="../app/studio/main_window.cpp" line="+151"/>
        <source>&lt;start of your history&gt;</source>
        <translation>&lt;历史记录起点&gt;</translation>
    </message>
    <message>
        <location line="+162"/>
        <source>Agreement</source>
        <translation>一致性</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 is not in the video list (clear its filters).</source>
        <translation>%1 不在视频列表中（请清除筛选）。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Adjudication</source>
        <translation>裁决</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Play / Pause</source>
        <translation>播放 / 暂停</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back 5 s / Slower</source>
        <translation>后退 5 秒 / 减速</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Play / Faster</source>
        <translation>播放 / 加速</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Slower</source>
        <translation>减速</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Faster</source>
        <translation>加速</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Normal Speed</source>
        <translation>正常速度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Segment Back</source>
        <translation>后退一个片段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Segment Forward</source>
        <translation>前进一个片段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Frame Back</source>
        <translation>后退一帧</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Frame Forward</source>
        <translation>前进一帧</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To the Start</source>
        <translation>跳到开头</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To the End</source>
        <translation>跳到结尾</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cycle Audio / Video Checking</source>
        <translation>切换音频 / 视频检查模式</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Loop Selection</source>
        <translation>循环播放所选</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Previous Event</source>
        <translation>上一个事件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next Event</source>
        <translation>下一个事件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accept Prediction</source>
        <translation>接受预测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reject Prediction</source>
        <translation>拒绝预测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Relabel…</source>
        <translation>重新标注…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add Event at Playhead…</source>
        <translation>在播放头处添加事件…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete Events</source>
        <translation>删除事件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Select All Events</source>
        <translation>选择所有事件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear Selection</source>
        <translation>清除选择</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom In</source>
        <translation>放大</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom Out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom to Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Snap to Segments</source>
        <translation>吸附到片段</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Previous Video</source>
        <translation>上一个视频</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next Video</source>
        <translation>下一个视频</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next Video Needing Review</source>
        <translation>下一个待审核视频</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Search Videos</source>
        <translation>搜索视频</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export Labels…</source>
        <translation>导出标注…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open Project…</source>
        <translation>打开项目…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New Project…</source>
        <translation>新建项目…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connect to &amp;Team Store…</source>
        <translation>连接团队标注库(&amp;T)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the &amp;Demo Project</source>
        <translation>打开演示项目(&amp;D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re-create the Demo Project…</source>
        <translation>重新创建演示项目…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Re-create the demo project</source>
        <translation>重新创建演示项目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the demo project with its edits and build it again?</source>
        <translation>删除演示项目（包括其中的编辑）并重新构建？</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LLP Annotation Folder…</source>
        <translation>LLP 标注文件夹…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Label Files (ELAN, TextGrid, DCASE, Audacity, JSON, LLP)…</source>
        <translation>标注文件（ELAN、TextGrid、DCASE、Audacity、JSON、LLP）…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Video Folder…</source>
        <translation>视频文件夹…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Feature Folder (VALOR layout)…</source>
        <translation>特征文件夹（VALOR 布局）…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export &amp;Timeline Image…</source>
        <translation>导出时间轴图像(&amp;T)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Playback</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Models</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Load a Checkpoint…</source>
        <translation>加载检查点(&amp;L)…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Open a checkpoint</source>
        <translation>打开检查点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checkpoints (*.ckpt *.pt *.pth);;All files (*)</source>
        <translation>检查点 (*.ckpt *.pt *.pth);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Run the Model on the Test Split</source>
        <translation>在测试集上运行模型(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run the Model on the &amp;Current Video</source>
        <translation>在当前视频上运行模型(&amp;C)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Extract &amp;Features</source>
        <translation>提取特征(&amp;F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Of the &amp;Current Video</source>
        <translation>当前视频(&amp;C)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No current video.</source>
        <translation>没有当前视频。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Of the &amp;Selected Videos</source>
        <translation>选中的视频(&amp;S)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No video is selected in the browser.</source>
        <translation>浏览器中没有选中的视频。</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n selected video(s)</source>
        <translation>
            <numerusform>选中的 %n 个视频</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Of &amp;All Videos with Media</source>
        <translation>所有有媒体的视频(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>all videos with media</source>
        <translation>所有有媒体的视频</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Encoders Folder of This &amp;Project…</source>
        <translation>本项目的编码器文件夹(&amp;P)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Encoders folder of this project (with manifest.json)</source>
        <translation>本项目的编码器文件夹（含 manifest.json）</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+8"/>
        <source>This project extracts features with the encoders of %1</source>
        <translation>本项目使用 %1 中的编码器提取特征</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Use the Encoders Folder of the Preferences</source>
        <translation>使用首选项中的编码器文件夹</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No encoders folder is chosen in the Preferences.</source>
        <translation>首选项中未选择编码器文件夹。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Training Dashboard</source>
        <translation>训练面板(&amp;T)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Train the &amp;Demo Model (about a minute)</source>
        <translation>训练演示模型(&amp;D)（约一分钟）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Row &amp;Height</source>
        <translation>行高(&amp;H)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Larger Rows</source>
        <translation>增大行高(&amp;L)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Smaller Rows</source>
        <translation>减小行高(&amp;S)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Default Height</source>
        <translation>默认行高(&amp;D)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Timeline</source>
        <translation>时间轴(&amp;T)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;About AVVP Studio</source>
        <translation>关于 AVVP Studio(&amp;A)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>About AVVP Studio</source>
        <translation>关于 AVVP Studio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;AVVP Studio&lt;/b&gt; %1&lt;br&gt;Audio-visual video parsing: annotate, correct and score audio, visual and audio-visual events.&lt;br&gt;LLP annotations: Tian et al., ECCV 2020. Scores follow the AVVP protocol of the LLP paper.</source>
        <translation>&lt;b&gt;AVVP Studio&lt;/b&gt; %1&lt;br&gt;视听视频解析：标注、修正音频、视觉与视听事件并为其打分。&lt;br&gt;LLP 标注：Tian 等，ECCV 2020。得分遵循 LLP 论文的 AVVP 协议。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Videos</source>
        <translation>视频</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Jobs</source>
        <translation>任务</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Research</source>
        <translation>研究视图</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Select an event on the timeline to loop it.</source>
        <translation>请先在时间轴上选择一个事件以循环播放。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No media to play for this video.</source>
        <translation>此视频没有可播放的媒体。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The media file %1 is missing.</source>
        <translation>媒体文件 %1 不存在。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Select a video in the browser.</source>
        <translation>请在浏览器中选择一个视频。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No project open: File ▸ Open Project, or File ▸ Open the Demo Project.</source>
        <translation>未打开项目：文件 ▸ 打开项目，或 文件 ▸ 打开演示项目。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No media file for %1.
The LLP dataset ships annotations only: its events can be edited here, without picture. Import a folder of videos (File ▸ Import ▸ Video Folder), or pick a video whose Media column says &quot;synthetic&quot; or &quot;video&quot;.</source>
        <translation>%1 没有媒体文件。
LLP 数据集只提供标注：可以在此编辑其事件，但没有画面。请导入视频文件夹（文件 ▸ 导入 ▸ 视频文件夹），或选择“媒体”列显示为“合成”或“视频”的视频。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>weak labels: %1</source>
        <translation>弱标签：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>SYNTHETIC media</source>
        <translation>合成媒体</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Cannot rename the run: %1</source>
        <translation>无法重命名运行：%1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>AVVP Studio</source>
        <translation>AVVP Studio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No project</source>
        <translation>无项目</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>AVVP Studio — %1</source>
        <translation>AVVP Studio — %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AVVP Studio — %1 (%2)</source>
        <translation>AVVP Studio —— %1（%2）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 · read-only: not writable, edits are refused</source>
        <translation>%1 · 只读：不可写入，编辑会被拒绝</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 · annotator %2</source>
        <translation>%1 · 标注者 %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(read-only)</source>
        <translation>（只读）</translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>%n events selected</source>
        <translation>
            <numerusform>已选择 %n 个事件</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Selected: %1 · %2 · %3 · %4</source>
        <translation>已选择：%1 · %2 · %3 · %4</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Timeline of %1</source>
        <translation>%1 的时间轴</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+7"/>
        <source>Export timeline image</source>
        <translation>导出时间轴图像</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Timeline written to %1</source>
        <translation>时间轴已写入 %1</translation>
    </message>
</context>
<context>
    <name>avvp::app::ModelController</name>
    <message>
        <location filename="../app/studio/panel_controllers.cpp" line="-343"/>
        <source>%1 of %2 videos</source>
        <translation>%1 / %2 个视频</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>storing the run</source>
        <translation>正在存储运行结果</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 · about %2 left</source>
        <translation>%1 · 约剩 %2</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>no model is loaded, no project is open, or a run is under way</source>
        <translation>未加载模型、未打开项目，或已有运行正在进行</translation>
    </message>
    <message numerus="yes">
        <location line="+30"/>
        <source>Thresholds applied to the run: audio %1, visual %2, global %3 (%n video(s) changed)</source>
        <translation>
            <numerusform>阈值已应用到运行：音频 %1，视觉 %2，全局 %3（%n 个视频有变化）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+46"/>
        <source>No current video.</source>
        <translation>没有当前视频。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Load a model and run it (Models panel) to see what it computes for the current video.</source>
        <translation>加载模型并运行它（模型面板），以查看它对当前视频的计算结果。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The run &quot;%1&quot; holds no model outputs for %2: run a model on this video (Models panel) to see what it computes.</source>
        <translation>运行“%1”没有 %2 的模型输出：在此视频上运行模型（模型面板）以查看它的计算结果。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the run &quot;%1&quot;</source>
        <translation>运行“%1”</translation>
    </message>
</context>
<context>
    <name>avvp::app::ProjectActions</name>
    <message>
        <location filename="../app/studio/project_actions.cpp" line="+30"/>
        <source>%1 videos added, %2 updated, %3 label sets changed, %4 events, %5 feature files, %6 media files.</source>
        <translation>新增 %1 个视频，更新 %2 个，%3 组标注发生变化，%4 个事件，%5 个特征文件，%6 个媒体文件。</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+18"/>
        <location line="+5"/>
        <location line="+45"/>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <location line="-50"/>
        <source>%1 does not exist.</source>
        <translation>%1 不存在。</translation>
    </message>
    <message>
        <location line="-6"/>
        <location line="+12"/>
        <source>Cannot open %1:
%2</source>
        <translation>无法打开 %1：
%2</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>%1 is a URL, not the path of a store file nor a postgresql:// team store.</source>
        <translation>%1 是一个 URL，既不是标注库文件路径，也不是 postgresql:// 团队标注库。</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+41"/>
        <location line="+7"/>
        <source>Connect to Team Store</source>
        <translation>连接团队标注库</translation>
    </message>
    <message>
        <location line="-27"/>
        <location line="+7"/>
        <source>New project</source>
        <translation>新建项目</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>AVVP label store (*.avvpstore)</source>
        <translation>AVVP 标注库 (*.avvpstore)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Import the LLP annotation files from %1 into it?</source>
        <translation>是否从 %1 导入 LLP 标注文件？</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Import LLP annotations</source>
        <translation>导入 LLP 标注</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>PostgreSQL URL of the team store
(postgresql://user[:password]@host:port/database):</source>
        <translation>团队标注库的 PostgreSQL URL
(postgresql://用户[:密码]@主机:端口/数据库)：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 is not a postgresql:// URL.</source>
        <translation>%1 不是 postgresql:// URL。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>AVVP label store (*.avvpstore);;All files (*)</source>
        <translation>AVVP 标注库 (*.avvpstore);;所有文件 (*)</translation>
    </message>
    <message numerus="yes">
        <location line="+41"/>
        <source>This import replaces the ground truth of the videos its files cover and would delete %1 audio and %2 visual ground-truth events of %n video(s) (%3). A header-only or truncated file deletes ground truth this way.

Delete them?</source>
        <translation>
            <numerusform>此导入将替换其文件所涵盖视频的真值标注，并将删除 %n 个视频（%3）的 %1 个音频和 %2 个视觉真值事件。仅有表头或被截断的文件会以这种方式删除真值标注。

删除它们吗？</numerusform>
        </translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Import cancelled: nothing was changed.</source>
        <translation>导入已取消：未做任何更改。</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+51"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="-44"/>
        <source>LLP annotation folder</source>
        <translation>LLP 标注文件夹</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Import LLP annotations from %1</source>
        <translation>从 %1 导入 LLP 标注</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Folder of videos (&lt;id&gt;.mp4, .mkv, .webm)</source>
        <translation>视频文件夹（&lt;id&gt;.mp4、.mkv、.webm）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Import videos</source>
        <translation>导入视频</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add the videos that match no video of the project as your own videos?</source>
        <translation>将与项目中任何视频都不匹配的视频作为自有视频添加？</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Import videos from %1</source>
        <translation>从 %1 导入视频</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Feature folder (VALOR layout)</source>
        <translation>特征文件夹（VALOR 布局）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Import features from %1</source>
        <translation>从 %1 导入特征</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Label files</source>
        <translation>标注文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Label files (*.eaf *.TextGrid *.textgrid *.tsv *.txt *.json *.csv);;All files (*)</source>
        <translation>标注文件 (*.eaf *.TextGrid *.textgrid *.tsv *.txt *.json *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: unknown label format (by its extension)</source>
        <translation>%1：无法根据扩展名识别标注格式</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ground truth</source>
        <translation>真值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>My corrections (%1)</source>
        <translation>我的修正（%1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import label files</source>
        <translation>导入标注文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import the events as:</source>
        <translation>将事件导入为：</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>Import %n label file(s)</source>
        <translation>
            <numerusform>导入 %n 个标注文件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>avvp::app::Studio</name>
    <message>
        <location filename="../app/studio/studio.cpp" line="+197"/>
        <source>demo: LLP annotations, SYNTHETIC dataset and videos (one of 90 s), SYNTHETIC predictions</source>
        <translation>演示：LLP 标注，合成数据集与视频（其一长 90 秒），合成预测</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>demo: LLP annotations, SYNTHETIC videos and predictions</source>
        <translation>演示：LLP 标注，合成视频与预测</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot open %1:
%2</source>
        <translation>无法打开 %1：
%2</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Prepare the demo project</source>
        <translation>准备演示项目</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+5"/>
        <source>Demo project</source>
        <translation>演示项目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The demo project could not be prepared:
%1</source>
        <translation>无法准备演示项目：
%1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Train the demo model (SYNTHETIC data)</source>
        <translation>训练演示模型（合成数据）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Load the demo model</source>
        <translation>加载演示模型</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Run the demo model on the synthetic videos</source>
        <translation>在合成视频上运行演示模型</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Demo model</source>
        <translation>演示模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The demo model could not be trained:
%1</source>
        <translation>无法训练演示模型：
%1</translation>
    </message>
</context>
<context>
    <name>avvp::app::TrainingController</name>
    <message>
        <location filename="../app/studio/panel_controllers.cpp" line="+14"/>
        <source>training is already under way</source>
        <translation>训练已在进行中</translation>
    </message>
</context>
<context>
    <name>avvp::ui::AdjudicationPanel</name>
    <message>
        <location filename="../ui/panels/adjudication_panel.cpp" line="+23"/>
        <source>A Stands (1)</source>
        <translation>采用 A (1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>B Stands (2)</source>
        <translation>采用 B (2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save Set</source>
        <translation>保存集合</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A:</source>
        <translation>A：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>B:</source>
        <translation>B：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save as:</source>
        <translation>另存为：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A&apos;s lane</source>
        <translation>A 的轨道</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>B&apos;s lane</source>
        <translation>B 的轨道</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stands</source>
        <translation>采用</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Annotator A: their final labels (ground truth and their corrections)</source>
        <translation>标注者 A：其最终标签（真值加其修正）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Annotator B: their final labels (ground truth and their corrections)</source>
        <translation>标注者 B：其最终标签（真值加其修正）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The correction set the result is saved as</source>
        <translation>结果保存为的修正集合</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Choose two different annotators with corrections.</source>
        <translation>请选择两位有修正的不同标注者。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1: %2 agreed label(s), %3 disagreement(s).</source>
        <translation>%1：%2 个一致标签，%3 处分歧。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Select a video.</source>
        <translation>请选择一个视频。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>agreed</source>
        <translation>一致</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source> (picked)</source>
        <translation>（已选）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Give the set a name.</source>
        <translation>请为集合命名。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The set may not be named after annotator %1.</source>
        <translation>集合不能以标注者 %1 命名。</translation>
    </message>
</context>
<context>
    <name>avvp::ui::AgreementPanel</name>
    <message>
        <location filename="../ui/panels/agreement_panel.cpp" line="+44"/>
        <source>undefined</source>
        <translation>未定义</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>val</source>
        <translation>验证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>all videos</source>
        <translation>全部视频</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only videos both corrected</source>
        <translation>仅两人都修正过的视频</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compute</source>
        <translation>计算</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Annotator A: the reference (the ground truth of the scores)</source>
        <translation>标注者 A：参照（评分的真值）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Annotator B: scored against A</source>
        <translation>标注者 B：以 A 为参照评分</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Annotator A (reference)</source>
        <translation>标注者 A（参照）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Annotator B</source>
        <translation>标注者 B</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Split</source>
        <translation>划分</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+4"/>
        <source>Audio</source>
        <translation>音频</translation>
    </message>
    <message>
        <location line="-4"/>
        <location line="+4"/>
        <source>Visual</source>
        <translation>视觉</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>AV</source>
        <translation>视听</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Type@AV</source>
        <translation>Type@AV</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Event@AV</source>
        <translation>Event@AV</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Audio κ</source>
        <translation>音频 κ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Visual κ</source>
        <translation>视觉 κ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Segments</source>
        <translation>片段数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Differing cells</source>
        <translation>不同的单元</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Segment × class cells where A and B differ; click to open the video</source>
        <translation>A 与 B 不同的片段 × 类别单元；点击打开视频</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scores</source>
        <translation>得分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kappa</source>
        <translation>Kappa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Videos</source>
        <translation>视频</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>No annotator has corrected anything in this store.</source>
        <translation>此标注库中没有标注者做过修正。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Agreement of %1 against %2</source>
        <translation>%1 相对 %2 的一致性</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Computing…</source>
        <translation>计算中…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Computing… %1 (%2%)</source>
        <translation>计算中… %1（%2%）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Segment</source>
        <translation>片段级</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Event</source>
        <translation>事件级</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Overall (all classes)</source>
        <translation>总体（所有类别）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 videos; %2 differ. Scores of B against A (AVVP protocol, F in %).</source>
        <translation>%1 个视频；%2 个有差异。B 相对 A 的得分（AVVP 协议，F 以 % 计）。</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>κ is undefined for %n class-modality pair(s) both label the same in every segment.</source>
        <translation>
            <numerusform>有 %n 个类别-模态对在每个片段上两人标注相同，κ 未定义。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Agreement failed: %1</source>
        <translation>一致性计算失败：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
</context>
<context>
    <name>avvp::ui::ClassPicker</name>
    <message>
        <location filename="../ui/dialogs/class_picker.cpp" line="+19"/>
        <source>Choose a class</source>
        <translation>选择类别</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type to filter…</source>
        <translation>输入以筛选…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Lane:</source>
        <translation>通道：</translation>
    </message>
</context>
<context>
    <name>avvp::ui::CoEditingLabel</name>
    <message>
        <location filename="../ui/widgets/co_editing_label.cpp" line="+16"/>
        <source>Other annotators edited this video within the last few minutes: their changes appear here as they save them.</source>
        <translation>其他标注者在几分钟内编辑过此视频：他们保存后，改动会显示在这里。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 (just now)</source>
        <translation>%1（刚刚）</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%1 (%n min ago)</source>
        <translation>
            <numerusform>%1（%n 分钟前）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Also editing this video: %1</source>
        <translation>也在编辑此视频：%1</translation>
    </message>
</context>
<context>
    <name>avvp::ui::Eval</name>
    <message>
        <location filename="../ui/models/eval_models.cpp" line="+17"/>
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
        <location line="+1"/>
        <source>Type@AV</source>
        <translation>Type@AV</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Event@AV</source>
        <translation>Event@AV</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Segment</source>
        <translation>片段级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Event</source>
        <translation>事件级</translation>
    </message>
</context>
<context>
    <name>avvp::ui::EvalClassModel</name>
    <message>
        <location line="+132"/>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audio</source>
        <translation>音频</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Visual</source>
        <translation>视觉</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AV</source>
        <translation>视听</translation>
    </message>
</context>
<context>
    <name>avvp::ui::EvalSummaryModel</name>
    <message>
        <location line="-66"/>
        <source>Score (F1 %)</source>
        <translation>得分（F1 %）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>B − A</source>
        <translation>B − A</translation>
    </message>
</context>
<context>
    <name>avvp::ui::EvalVideoModel</name>
    <message>
        <location line="+137"/>
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A (%)</source>
        <translation>A（%）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>B (%)</source>
        <translation>B（%）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>B − A</source>
        <translation>B − A</translation>
    </message>
</context>
<context>
    <name>avvp::ui::EvaluationPanel</name>
    <message>
        <location filename="../ui/panels/evaluation_panel.cpp" line="+69"/>
        <source>all videos</source>
        <translation>全部视频</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>own videos (no split)</source>
        <translation>自有视频（无划分）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Score the sets against the ground truth of the split (runs in the background)</source>
        <translation>将所选集合与该划分的真值对比打分（在后台运行）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only the videos it covers</source>
        <translation>仅其覆盖的视频</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Score each set over the videos it has labels for (a run&apos;s predicted videos, the corrected videos) instead of every video of the split</source>
        <translation>只在每个集合有标签的视频上评分（运行预测过的视频、已修正的视频），而不是划分中的全部视频</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save to store</source>
        <translation>保存到标注库</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Record the scores in the store&apos;s evaluations table (as avvp eval --save)</source>
        <translation>将得分记录到标注库的评估表中（同 avvp eval --save）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export chart…</source>
        <translation>导出图表…</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Segment level</source>
        <translation>片段级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Event level</source>
        <translation>事件级</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+231"/>
        <source>Audio</source>
        <translation>音频</translation>
    </message>
    <message>
        <location line="-230"/>
        <location line="+230"/>
        <source>Visual</source>
        <translation>视觉</translation>
    </message>
    <message>
        <location line="-229"/>
        <location line="+229"/>
        <source>Audio-Visual</source>
        <translation>视听</translation>
    </message>
    <message>
        <location line="-204"/>
        <source>Chart:</source>
        <translation>图表：</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Score:</source>
        <translation>得分：</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Scores</source>
        <translation>得分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Per class</source>
        <translation>按类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Per video</source>
        <translation>按视频</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Precision-recall</source>
        <translation>精确率-召回率</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Set A:</source>
        <translation>集合 A：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Set B:</source>
        <translation>集合 B：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Split:</source>
        <translation>划分：</translation>
    </message>
    <message>
        <location line="+26"/>
        <location line="+3"/>
        <source>Export chart</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Protocol: %1 — segment- and event-level F1 in percent, the mean over the videos; events are scored in whole seconds as `avvp eval` does.</source>
        <translation>协议：%1 —— 片段级与事件级 F1（百分比），对视频取平均；事件按整秒计分，与 `avvp eval` 相同。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Videos of %1 to %2 one-second segments.</source>
        <translation>视频长度为 %1 至 %2 个一秒片段。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Predictions: %1</source>
        <translation>预测：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Corrections (all annotators)</source>
        <translation>修正（所有标注者）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Corrections by %1</source>
        <translation>%1 的修正</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Evaluating…</source>
        <translation>正在评估…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evaluate %1 on %2</source>
        <translation>在 %2 上评估 %1</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Precision-recall: set A has no probabilities (a model run has)</source>
        <translation>精确率-召回率：集合 A 没有概率（模型运行才有）</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%1, set A, %n video(s)</source>
        <translation>
            <numerusform>%1，集合 A，%n 个视频</numerusform>
        </translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1: no positives</source>
        <translation>%1：无正例</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: mAP %2, micro AP %3</source>
        <translation>%1：mAP %2，micro AP %3</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 (over %2 covered videos)</source>
        <translation>%1（在覆盖的 %2 个视频上）</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Set %1 covers %2 of %3 videos of the %4 split.</source>
        <translation>集合 %1 覆盖了 %4 划分中 %3 个视频里的 %2 个。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set %1 covers %2 of %3 videos (%4).</source>
        <translation>集合 %1 覆盖了 %3 个视频中的 %2 个（%4）。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Scored over those %1 videos only.</source>
        <translation>仅在这 %1 个视频上评分。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The %1 videos it leaves out count as labelled empty: tick “Only the videos it covers” to score over the covered ones.</source>
        <translation>它未覆盖的 %1 个视频按无标签计分：勾选“仅其覆盖的视频”即可只在覆盖的视频上评分。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Scores over videos the set never labelled understate it</source>
        <translation>在该集合从未标注的视频上评分会低估它</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Evaluation failed: %1</source>
        <translation>评估失败：%1</translation>
    </message>
    <message>
        <location line="-98"/>
        <source>Evaluating… %1 (%2 %)</source>
        <translation>正在评估… %1（%2 %）</translation>
    </message>
    <message>
        <location line="-225"/>
        <source>Click a video to open it with set A&apos;s run on the timeline; sort by score to find the failures</source>
        <translation>点击视频即可打开它，并在时间轴上显示集合 A 的运行结果；按分数排序可找出失败案例</translation>
    </message>
    <message>
        <location line="+327"/>
        <source>Evaluation cancelled.</source>
        <translation>评估已取消。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 videos of the %2 split scored. A = %3</source>
        <translation>已对 %2 划分的 %1 个视频打分。A = %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>; B = %1</source>
        <translation>；B = %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Type@AV %</source>
        <translation>Type@AV %</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>F1 (%)</source>
        <translation>F1（%）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Per-class F1, %1, %2 — %3</source>
        <translation>各类别 F1，%1，%2 — %3</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Per-class F1 (%1)</source>
        <translation>各类别 F1（%1）</translation>
    </message>
    <message>
        <location line="-75"/>
        <source>Scores saved in the store.</source>
        <translation>得分已保存到标注库。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Could not save: %1</source>
        <translation>无法保存：%1</translation>
    </message>
</context>
<context>
    <name>avvp::ui::EventTable</name>
    <message>
        <location filename="../ui/panels/event_table.cpp" line="+191"/>
        <source>No events in this video.</source>
        <translation>此视频中没有事件。</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Reason (optional):</source>
        <translation>理由（可选）：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Accept Event…</source>
        <translation>接受事件…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Accept Event</source>
        <translation>接受事件</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reject Event…</source>
        <translation>拒绝事件…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reject Event</source>
        <translation>拒绝事件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clear Review Decision</source>
        <translation>清除审核决定</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Accepted by %1</source>
        <translation>由 %1 接受</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected by %1</source>
        <translation>由 %1 拒绝</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(unknown)</source>
        <translation>（未知）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Verified</source>
        <translation>已核实</translation>
    </message>
</context>
<context>
    <name>avvp::ui::EventTableModel</name>
    <message>
        <location line="-134"/>
        <source>Predictions are read only: accept one to edit it as a correction.</source>
        <translation>预测为只读：接受后即可作为修正进行编辑。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Modality</source>
        <translation>模态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Onset (s)</source>
        <translation>起点（秒）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Offset (s)</source>
        <translation>终点（秒）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
</context>
<context>
    <name>avvp::ui::ExportDialog</name>
    <message>
        <location filename="../ui/dialogs/export_dialog.cpp" line="+26"/>
        <source>Export labels</source>
        <translation>导出标注</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Ground truth</source>
        <translation>真值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Final labels (ground truth with the accepted corrections)</source>
        <translation>最终标签（应用了已接受修正的真值）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Predictions of run %1</source>
        <translation>运行 %1 的预测</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Corrections (all annotators)</source>
        <translation>修正（所有标注者）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Corrections by %1</source>
        <translation>%1 的修正</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Everything, with provenance (JSON)</source>
        <translation>全部（含来源信息，JSON）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This video (%1)</source>
        <translation>当前视频（%1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The %1 split</source>
        <translation>%1 划分</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Every video</source>
        <translation>所有视频</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Omit empty tiers</source>
        <translation>省略空层</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write only the tiers that hold events (a modality without events keeps one empty tier named after it).</source>
        <translation>只写入含有事件的层（没有事件的模态保留一个以其命名的空层）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Events:</source>
        <translation>事件：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Videos:</source>
        <translation>视频：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Output:</source>
        <translation>输出：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel export</source>
        <translation>取消导出</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>AVVP_eval_audio.csv / AVVP_eval_visual.csv and the weak-label files; events widen to whole seconds.</source>
        <translation>AVVP_eval_audio.csv / AVVP_eval_visual.csv 以及弱标签文件；事件扩展为整秒。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>audio.tsv and visual.tsv: filename, onset, offset, event_label (DCASE style; sed_eval scores these differently from AVVP).</source>
        <translation>audio.tsv 与 visual.tsv：filename、onset、offset、event_label（DCASE 格式；sed_eval 的计分方式与 AVVP 不同）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>One .eaf per video for ELAN: a tier per modality × class with the 25 classes as a controlled vocabulary; overlaps merged.</source>
        <translation>每个视频一个 ELAN .eaf 文件：每个模态 × 类别一个层，25 个类别作为受控词表；重叠部分会合并。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>One .TextGrid per video for Praat: an interval tier per modality × class, gaps filled with empty intervals.</source>
        <translation>每个视频一个 Praat .TextGrid 文件：每个模态 × 类别一个区间层，空隙以空区间填充。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;video&gt;.audio.txt and &lt;video&gt;.visual.txt label tracks for Audacity and Sonic Visualiser.</source>
        <translation>供 Audacity 与 Sonic Visualiser 使用的 &lt;video&gt;.audio.txt 与 &lt;video&gt;.visual.txt 标签轨。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>One JSON file with every event and its provenance (source, run, annotator, review).</source>
        <translation>一个 JSON 文件，包含全部事件及其来源信息（来源、运行、标注者、审核）。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Export to file</source>
        <translation>导出到文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JSON (*.json)</source>
        <translation>JSON（*.json）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export into folder</source>
        <translation>导出到文件夹</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Every source at once keeps its provenance only in JSON: choose the JSON format.</source>
        <translation>同时导出所有来源时，只有 JSON 能保留来源信息：请选择 JSON 格式。</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Choose where to write the files.</source>
        <translation>请选择写入文件的位置。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Export %1 to %2</source>
        <translation>将 %1 导出到 %2</translation>
    </message>
    <message numerus="yes">
        <location line="+20"/>
        <source>Wrote %n file(s) for %1 video(s) to %2.</source>
        <translation>
            <numerusform>已为 %1 个视频写入 %n 个文件到 %2。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n overlapping event(s) merged (the format forbids overlaps).</source>
        <translation>
            <numerusform>合并了 %n 个重叠事件（该格式不允许重叠）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n event(s) widened to whole seconds.</source>
        <translation>
            <numerusform>%n 个事件被扩展为整秒。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export cancelled; files written so far stay.</source>
        <translation>导出已取消；已写入的文件会保留。</translation>
    </message>
</context>
<context>
    <name>avvp::ui::Figure</name>
    <message>
        <location filename="../ui/export/figure_export.cpp" line="+28"/>
        <source>PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)</source>
        <translation>PNG 图像 (*.png);;SVG 矢量图 (*.svg);;PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1: use .png, .svg or .pdf</source>
        <translation>%1：请使用 .png、.svg 或 .pdf</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>nothing to draw</source>
        <translation>没有可绘制的内容</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>%1: could not be written</source>
        <translation>%1：无法写入</translation>
    </message>
</context>
<context>
    <name>avvp::ui::JobStatusWidget</name>
    <message>
        <location filename="../ui/panels/jobs_panel.cpp" line="+132"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Storing the results: it can no longer be cancelled</source>
        <translation>正在保存结果：已无法取消</translation>
    </message>
</context>
<context>
    <name>avvp::ui::JobsPanel</name>
    <message>
        <location line="-139"/>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Time</source>
        <translation>用时</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear finished</source>
        <translation>清除已结束</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>%1 %, %2 left</source>
        <translation>%1 %，剩余 %2</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Select a running job that can still be cancelled (a job that is storing its results can no longer be stopped)</source>
        <translation>选择一个仍可取消的运行中任务（正在保存结果的任务已无法停止）</translation>
    </message>
</context>
<context>
    <name>avvp::ui::Keymap</name>
    <message>
        <location filename="../ui/keymap.cpp" line="+10"/>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+4"/>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+2"/>
        <source>Playback</source>
        <translation>播放</translation>
    </message>
    <message>
        <location line="-29"/>
        <source>Play / pause</source>
        <translation>播放 / 暂停</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>J: back 5 s (slower while fast-forwarding)</source>
        <translation>J：后退 5 秒（快进时为减速）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>K: pause</source>
        <translation>K：暂停</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>L: play; again: faster (1.5×, 2×)</source>
        <translation>L：播放；再按：加速（1.5×、2×）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One segment (1 s) back</source>
        <translation>后退一个片段（1 秒）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One segment (1 s) forward</source>
        <translation>前进一个片段（1 秒）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One frame back</source>
        <translation>后退一帧</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One frame forward</source>
        <translation>前进一帧</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>To the start</source>
        <translation>跳到开头</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>To the end</source>
        <translation>跳到结尾</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check one modality: audio + video → audio only → video only</source>
        <translation>检查单一模态：音频 + 视频 → 仅音频 → 仅视频</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Speed down one step (to 0.5×, pitch kept)</source>
        <translation>降低一档速度（最低 0.5×，保持音高）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Speed up one step (to 2×, pitch kept)</source>
        <translation>提高一档速度（最高 2×，保持音高）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Normal speed (1×)</source>
        <translation>正常速度（1×）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Loop the selected events: play onset to offset again and again</source>
        <translation>循环播放所选事件：从起点到终点反复播放</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+3"/>
        <location line="+3"/>
        <location line="+4"/>
        <location line="+3"/>
        <location line="+4"/>
        <location line="+4"/>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+2"/>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <location line="-28"/>
        <source>Previous event (select it, move the playhead)</source>
        <translation>上一个事件（选中并移动播放头）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Next event (select it, move the playhead)</source>
        <translation>下一个事件（选中并移动播放头）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Accept the selected prediction (becomes a correction), go to the next</source>
        <translation>接受所选预测（成为修正），并转到下一个</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reject the selected prediction, go to the next</source>
        <translation>拒绝所选预测，并转到下一个</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Relabel the selected events (class picker: type to filter)</source>
        <translation>重新标注所选事件（类别选择器：输入以筛选）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add an event of one segment at the playhead (class picker)</source>
        <translation>在播放头处添加一个片段长的事件（类别选择器）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delete the selected events</source>
        <translation>删除所选事件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Select every event of the video</source>
        <translation>选择该视频的所有事件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clear the selection; cancel a drag</source>
        <translation>清除选择；取消拖动</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Undo (also after a restart)</source>
        <translation>撤销（重启后同样可用）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+5"/>
        <location line="+4"/>
        <location line="+4"/>
        <source>Mouse</source>
        <translation>鼠标</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Drag an event: move; drag its edge: resize; drag on an empty row: create</source>
        <translation>拖动事件：移动；拖动其边缘：调整长度；在空行上拖动：创建</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Hold Shift while dragging: free timing (no snapping to segments)</source>
        <translation>拖动时按住 Shift：自由定时（不吸附到片段）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ctrl+click: add to / remove from the selection; double-click: relabel</source>
        <translation>Ctrl+单击：加入 / 移出选择；双击：重新标注</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ctrl+wheel: zoom the timeline; Shift+wheel: scroll it</source>
        <translation>Ctrl+滚轮：缩放时间轴；Shift+滚轮：滚动时间轴</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+3"/>
        <location line="+2"/>
        <location line="+15"/>
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>Zoom the timeline in</source>
        <translation>放大时间轴</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Zoom the timeline out</source>
        <translation>缩小时间轴</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the whole video</source>
        <translation>显示整个视频</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Snap edits to one-second segments (on / off)</source>
        <translation>编辑时吸附到一秒片段（开 / 关）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Previous video in the browser</source>
        <translation>浏览器中的上一个视频</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next video in the browser</source>
        <translation>浏览器中的下一个视频</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+4"/>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+3"/>
        <source>Review</source>
        <translation>审核</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Next video needing review (in the split shown, wrapping)</source>
        <translation>下一个待审核视频（在所示划分中，循环）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Mark the selected video to do</source>
        <translation>将所选视频标为待办</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mark the selected video in progress</source>
        <translation>将所选视频标为进行中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mark the selected video as needing review</source>
        <translation>将所选视频标为待审核</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mark the selected video done</source>
        <translation>将所选视频标为完成</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search the video list</source>
        <translation>搜索视频列表</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+4"/>
        <location line="+2"/>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Export labels (LLP, DCASE, ELAN, TextGrid, Audacity, JSON)</source>
        <translation>导出标注（LLP、DCASE、ELAN、TextGrid、Audacity、JSON）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open a project (label store)</source>
        <translation>打开项目（标注库）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New project</source>
        <translation>新建项目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This list of keys</source>
        <translation>本快捷键列表</translation>
    </message>
</context>
<context>
    <name>avvp::ui::KeymapDialog</name>
    <message>
        <location filename="../ui/dialogs/keymap_dialog.cpp" line="+39"/>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Search actions and keys</source>
        <translation>搜索操作与按键</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Does</source>
        <translation>功能</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Shortcut of the selected action:</source>
        <translation>所选操作的快捷键：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Click, then press the new key combination</source>
        <translation>点击后按下新的组合键</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No shortcut for this action</source>
        <translation>此操作不设快捷键</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This action&apos;s default keys</source>
        <translation>此操作的默认按键</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reset All to Defaults</source>
        <translation>全部恢复默认</translation>
    </message>
    <message>
        <location line="+130"/>
        <source>%1 is already the shortcut of “%2”. Give that action another key (or clear it) first.</source>
        <translation>%1 已是“%2”的快捷键。请先给那个操作换一个键（或清除它）。</translation>
    </message>
</context>
<context>
    <name>avvp::ui::Labels</name>
    <message>
        <location filename="../ui/labels.cpp" line="+20"/>
        <source>own</source>
        <translation>自有</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>val</source>
        <translation>验证</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Audio</source>
        <translation>音频</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Visual</source>
        <translation>视觉</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ground truth</source>
        <translation>真值</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Correction</source>
        <translation>修正</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>not reviewed</source>
        <translation>未审核</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>rejected</source>
        <translation>已拒绝</translation>
    </message>
</context>
<context>
    <name>avvp::ui::ModelPanel</name>
    <message>
        <location filename="../ui/panels/model_panel.cpp" line="+29"/>
        <source>checkpoint (.ckpt, or a PyTorch state_dict)</source>
        <translation>检查点（.ckpt，或 PyTorch state_dict）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>auto: CUDA when available, else the CPU</source>
        <translation>auto：有 CUDA 时使用 CUDA，否则使用 CPU</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No model loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>current video</source>
        <translation>当前视频</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>selected videos</source>
        <translation>选中的视频</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>train split</source>
        <translation>训练集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>val split</source>
        <translation>验证集</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>test split</source>
        <translation>测试集</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>all videos</source>
        <translation>全部视频</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>run name (default: model and time)</source>
        <translation>运行名称（默认：模型和时间）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run on</source>
        <translation>运行于</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Thresholds (prediction rows)</source>
        <translation>阈值（预测行）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Audio frame</source>
        <translation>音频帧</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Visual frame</source>
        <translation>视觉帧</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Global (video)</source>
        <translation>全局（视频级）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Stored predictions</source>
        <translation>已存储的预测</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the run&apos;s stored prediction events (those you accept or reject) again</source>
        <translation>重新显示该运行已存储的预测事件（可接受或拒绝的那些）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Apply to run</source>
        <translation>应用到运行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Re-threshold the run&apos;s stored prediction events with these thresholds and store them with the run</source>
        <translation>用这些阈值重新生成运行中已存储的预测事件，并将阈值与运行一起保存</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Open a checkpoint</source>
        <translation>打开检查点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checkpoints (*.ckpt *.pt *.pth);;All files (*)</source>
        <translation>检查点 (*.ckpt *.pt *.pth);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose a checkpoint first.</source>
        <translation>请先选择检查点。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Load model %1</source>
        <translation>加载模型 %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Model loaded: %1</source>
        <translation>模型已加载：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot load the model: %1</source>
        <translation>无法加载模型：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Load a model first.</source>
        <translation>请先加载模型。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open a project first.</source>
        <translation>请先打开项目。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A model run is already under way.</source>
        <translation>已有模型运行正在进行。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No current video.</source>
        <translation>没有当前视频。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No videos selected in the browser.</source>
        <translation>浏览器中没有选中的视频。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>No videos to run the model on.</source>
        <translation>没有可运行模型的视频。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Running on %1…</source>
        <translation>正在 %1 上运行…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run %1 on %2</source>
        <translation>在 %2 上运行 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+21"/>
        <source>Run &quot;%1&quot;: %n videos predicted.</source>
        <translation>
            <numerusform>运行“%1”：已预测 %n 个视频。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n skipped (first: %1).</source>
        <translation>
            <numerusform>跳过 %n 个（第一个：%1）。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The model run failed: %1</source>
        <translation>模型运行失败：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The model run was cancelled; nothing was stored.</source>
        <translation>模型运行已取消；未存储任何内容。</translation>
    </message>
</context>
<context>
    <name>avvp::ui::PlotWindow</name>
    <message>
        <location filename="../ui/widgets/plot_popout.cpp" line="+74"/>
        <source>Shown in its own window: close it to put the plot back.</source>
        <translation>已在独立窗口中显示：关闭该窗口即可放回图表。</translation>
    </message>
    <message>
        <location line="+113"/>
        <source>Put Back</source>
        <translation>放回</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pop Out</source>
        <translation>弹出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pop Out Maximised</source>
        <translation>弹出并最大化</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reset View</source>
        <translation>重置视图</translation>
    </message>
</context>
<context>
    <name>avvp::ui::QueuePanel</name>
    <message>
        <location filename="../ui/panels/queue_panel.cpp" line="+44"/>
        <source>all videos</source>
        <translation>全部视频</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>val</source>
        <translation>验证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All classes</source>
        <translation>所有类别</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Audio and visual</source>
        <translation>音频与视觉</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>How many of the ranked cells to list</source>
        <translation>列出多少个排名单元</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rank</source>
        <translation>排序</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Split</source>
        <translation>划分</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Modality</source>
        <translation>模态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Segment</source>
        <translation>片段级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Up / Down or J / K walk the queue and open each cell&apos;s video at its segment; Enter opens the current one again</source>
        <translation>上 / 下 或 J / K 遍历队列，并在对应片段打开每个单元的视频；回车再次打开当前项</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>No model run in the project: run a model first (Models ▸ Run the Model on the Test Split).</source>
        <translation>项目中没有模型运行：请先运行模型（模型 ▸ 在测试划分上运行模型）。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Uncertainty queue of %1</source>
        <translation>%1 的不确定性队列</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ranking…</source>
        <translation>排序中…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ranking: %1 (%2%)</source>
        <translation>排序中：%1（%2%）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1–%2 s</source>
        <translation>%1–%2 秒</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1; threshold %2, global probability %3</source>
        <translation>%1；阈值 %2，全局概率 %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>predicted</source>
        <translation>预测为有</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not predicted</source>
        <translation>预测为无</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>%n cell(s) queued of %1 in %2 video(s); run %3, thresholds: %4</source>
        <translation>
            <numerusform>已排队 %n 个单元（共 %1 个，%2 个视频）；运行 %3，阈值：%4</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Ranking failed: %1</source>
        <translation>排序失败：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ranking cancelled.</source>
        <translation>排序已取消。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>near threshold</source>
        <translation>接近阈值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>audio-visual</source>
        <translation>音视频不一致</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>vs ground truth</source>
        <translation>与真值不符</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>vs correction</source>
        <translation>与修正不符</translation>
    </message>
</context>
<context>
    <name>avvp::ui::ResearchPanel</name>
    <message>
        <location filename="../ui/panels/research_panel.cpp" line="+141"/>
        <source>Class probabilities</source>
        <translation>类别概率</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>MMIL attention</source>
        <translation>MMIL 注意力</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>TSAM weights</source>
        <translation>TSAM 权重</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CMIM attention</source>
        <translation>CMIM 注意力</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A-V similarity and λ</source>
        <translation>音视频相似度与 λ</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Load a model (Models panel) to see what it computes for the current video.</source>
        <translation>加载模型（模型面板）以查看它对当前视频的计算结果。</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>time (s)</source>
        <translation>时间（秒）</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>This model has no frame_prob output.</source>
        <translation>该模型没有 frame_prob 输出。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Audio: P(class, segment)</source>
        <translation>音频：P(类别, 片段)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Visual: P(class, segment)</source>
        <translation>视觉：P(类别, 片段)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>This model has no MMIL attention (frame_att, av_att).</source>
        <translation>该模型没有 MMIL 注意力（frame_att、av_att）。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Temporal attention (audio)</source>
        <translation>时间注意力（音频）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Temporal attention (visual)</source>
        <translation>时间注意力（视觉）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Modality attention: audio share</source>
        <translation>模态注意力：音频占比</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>This model has no TSAM (tsam_w_a, tsam_w_v, tsam_s_a, tsam_s_v): only LINK with TSAM on has it.</source>
        <translation>该模型没有 TSAM（tsam_w_a、tsam_w_v、tsam_s_a、tsam_s_v）：只有开启 TSAM 的 LINK 才有。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Temporal weights W</source>
        <translation>时间权重 W</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+24"/>
        <source>audio</source>
        <translation>音频</translation>
    </message>
    <message>
        <location line="-24"/>
        <location line="+24"/>
        <source>visual</source>
        <translation>视觉</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Feature weights S</source>
        <translation>特征权重 S</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>feature (hidden unit)</source>
        <translation>特征（隐藏单元）</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>This model has no CMIM attention (cmim_a_av, cmim_a_va): only LINK with CMIM on has it.</source>
        <translation>该模型没有 CMIM 注意力（cmim_a_av、cmim_a_va）：只有开启 CMIM 的 LINK 才有。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A_av: audio segment (row) attends to visual</source>
        <translation>A_av：音频片段（行）关注视觉</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A_va: visual segment (row) attends to audio</source>
        <translation>A_va：视觉片段（行）关注音频</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>query segment (s)</source>
        <translation>查询片段（秒）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>This model has no audio-visual similarity (sloss_c): only LINK with S-LOSS on has it.</source>
        <translation>该模型没有音视频相似度（sloss_c）：只有开启 S-LOSS 的 LINK 才有。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Cosine of audio and visual segment t</source>
        <translation>音频与视觉片段 t 的余弦相似度</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>cos(a_t, v_t)</source>
        <translation>cos(a_t, v_t)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>λ(c) for μ = %1 and this video&apos;s segments</source>
        <translation>μ = %1 时的 λ(c) 及本视频的片段</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>λ(c)</source>
        <translation>λ(c)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>segments</source>
        <translation>片段</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>segment at the playhead</source>
        <translation>播放头所在片段</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>c = cos(a, v)</source>
        <translation>c = cos(a, v)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>λ</source>
        <translation>λ</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>window %1 of %2 (%3–%4 s)</source>
        <translation>第 %1 个窗口，共 %2 个（%3–%4 秒）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&lt;b&gt;%1&lt;/b&gt; — outputs of %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — %2 的输出</translation>
    </message>
</context>
<context>
    <name>avvp::ui::RunRename</name>
    <message>
        <location filename="../ui/widgets/run_rename.cpp" line="+14"/>
        <source>Rename Run</source>
        <translation>重命名运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New name of the run:</source>
        <translation>运行的新名称：</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Rename Run…</source>
        <translation>重命名运行…</translation>
    </message>
</context>
<context>
    <name>avvp::ui::SettingsDialog</name>
    <message>
        <location filename="../ui/dialogs/settings_dialog.cpp" line="+21"/>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Your edits, and your undo history, are kept under this name</source>
        <translation>您的编辑及撤销历史会以此名称保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Play sound through the audio device (when there is one)</source>
        <translation>通过音频设备播放声音（如有）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Snap edits to one-second segments</source>
        <translation>编辑时吸附到一秒片段</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the spectrogram under the audio lane</source>
        <translation>在音频通道下方显示语谱图</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>none chosen</source>
        <translation>未选择</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Extract Features uses the TorchScript encoders of this folder (its manifest.json, as `avvp features --encoders` reads it); a project may choose its own</source>
        <translation>“提取特征”使用此文件夹中的 TorchScript 编码器（按其 manifest.json，与 `avvp features --encoders` 的读取方式相同）；项目可以选择自己的编码器文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Encoders folder (with manifest.json)</source>
        <translation>编码器文件夹（含 manifest.json）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Annotator:</source>
        <translation>标注者：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Encoders folder:</source>
        <translation>编码器文件夹：</translation>
    </message>
</context>
<context>
    <name>avvp::ui::TimelinePanel</name>
    <message>
        <location filename="../ui/timeline/timeline_panel.cpp" line="+104"/>
        <source>Zoom in (+, Ctrl+wheel)</source>
        <translation>放大（+、Ctrl+滚轮）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom out (-)</source>
        <translation>缩小（-）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit</source>
        <translation>适应</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Show the whole video (0)</source>
        <translation>显示整个视频（0）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Snap 1 s</source>
        <translation>吸附 1 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Snap edits to one-second segments; off (or Shift held while dragging) edits freely, to 10 ms — for your own videos</source>
        <translation>编辑时吸附到一秒片段；关闭（或拖动时按住 Shift）则可自由编辑，精度 10 毫秒——适用于自有视频</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Spectrogram</source>
        <translation>语谱图</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Show the spectrogram strip under the audio lane</source>
        <translation>在音频通道下方显示语谱图条</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The model run whose predictions (and probabilities) the timeline shows</source>
        <translation>时间轴显示其预测（及概率）的模型运行</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Predictions:</source>
        <translation>预测：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Compare the shown run (A) with another run (B): per cell of the prediction strips, who is right against the ground truth</source>
        <translation>将所示运行（A）与另一运行（B）对比：在预测条的每个单元格上，对照真值谁是对的</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Compare with:</source>
        <translation>对比：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A only</source>
        <translation>仅 A</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>B only</source>
        <translation>仅 B</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>both wrong</source>
        <translation>都错</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Bands on the prediction strips: only run A is right, only run B is right, or both are wrong against the ground truth; cells both get right stay plain</source>
        <translation>预测条上的色带：对照真值，仅运行 A 正确、仅运行 B 正确，或两者都错；两者都对的单元格不着色</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>ground truth</source>
        <translation>真值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>correction</source>
        <translation>修正</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Each class row has three strips: ground truth, the run&apos;s predictions (shaded by their per-segment probability; outlined where they pass the threshold) and corrections</source>
        <translation>每个类别行有三条：真值、该运行的预测（按各片段概率着色深浅；超过阈值处加轮廓）以及修正</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>A: %1 · B: %2. Bands on the prediction strips: only run A is right, only run B is right, or both are wrong against the ground truth; cells both get right stay plain</source>
        <translation>A：%1 · B：%2。预测条上的色带：对照真值，仅运行 A 正确、仅运行 B 正确，或两者都错；两者都对的单元格不着色</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>avvp::ui::TimelineView</name>
    <message>
        <location filename="../ui/timeline/timeline_painter.cpp" line="+64"/>
        <source>Audio — heard</source>
        <translation>音频 —— 听到的</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Visual — seen</source>
        <translation>视觉 —— 看到的</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Audio-Visual — heard and seen (derived: A ∧ V, read-only)</source>
        <translation>视听 —— 既听到又看到（推导：A ∧ V，只读）</translation>
    </message>
    <message>
        <location line="+136"/>
        <source>Select a video in the browser to see its events</source>
        <translation>在浏览器中选择视频以查看其事件</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1 s · %2 segments</source>
        <translation>%1 秒 · %2 个片段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 · %2 segments</source>
        <translation>%1 · %2 个片段</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Spectrogram
40 Hz–8 kHz, log</source>
        <translation>语谱图
40 Hz–8 kHz，对数</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>computing spectrogram…</source>
        <translation>正在计算语谱图…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no audio</source>
        <translation>无音频</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>GT</source>
        <translation>真值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pred</source>
        <translation>预测</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Corr</source>
        <translation>修正</translation>
    </message>
    <message>
        <location line="+122"/>
        <source>no events — drag on a class row to add one, or press Insert</source>
        <translation>无事件——在类别行上拖动即可添加，或按 Insert</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/timeline/timeline_editor.cpp" line="+236"/>
        <source>Move %n events</source>
        <translation>
            <numerusform>移动 %n 个事件</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/timeline/timeline_view.cpp" line="+300"/>
        <source>Show Only Classes Present</source>
        <translation>仅显示出现的类别</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Spectrogram Contrast</source>
        <translation>语谱图对比度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>High (40 dB range)</source>
        <translation>高（40 dB 范围）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Medium (60 dB range, default)</source>
        <translation>中（60 dB 范围，默认）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Low (80 dB range)</source>
        <translation>低（80 dB 范围）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lowest (100 dB range)</source>
        <translation>最低（100 dB 范围）</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Accept prediction	A</source>
        <translation>接受预测	A</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reject prediction	R</source>
        <translation>拒绝预测	R</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Relabel…	C</source>
        <translation>重新标注…	C</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete	Del</source>
        <translation>删除	Del</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Play from here</source>
        <translation>从这里播放</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>both runs right</source>
        <translation>两个运行都对</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>both runs wrong</source>
        <translation>两个运行都错</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>only A (%1) right</source>
        <translation>仅 A（%1）正确</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>only B (%1) right</source>
        <translation>仅 B（%1）正确</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>segment %1</source>
        <translation>片段 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A: %1 · B: %2, against the ground truth</source>
        <translation>A：%1 · B：%2，对照真值</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Audio-Visual (derived)</source>
        <translation>视听（推导）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>by %1</source>
        <translation>由 %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>run %1</source>
        <translation>运行 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>p = %1 in segment %2</source>
        <translation>片段 %2 中 p = %1</translation>
    </message>
    <message>
        <location filename="../ui/timeline/timeline_editor.cpp" line="+60"/>
        <source>Predictions are model output: accept (A) or reject (R) them instead of deleting.</source>
        <translation>预测是模型输出：请接受（A）或拒绝（R），而不是删除。</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Delete %n events</source>
        <translation>
            <numerusform>删除 %n 个事件</numerusform>
        </translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Select an event to relabel it.</source>
        <translation>请选择一个事件以重新标注。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Predictions are model output: accept (A) or reject (R) them.</source>
        <translation>预测是模型输出：请接受（A）或拒绝（R）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Relabel event</source>
        <translation>重新标注事件</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Relabel %n events</source>
        <translation>
            <numerusform>重新标注 %n 个事件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>Relabel %n events as %1</source>
        <translation>
            <numerusform>将 %n 个事件重新标注为 %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Select a predicted event (orange) to accept it.</source>
        <translation>请选择一个预测事件（橙色）以接受。</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>Accept %n predictions</source>
        <translation>
            <numerusform>接受 %n 个预测</numerusform>
        </translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Select a predicted event (orange) to reject it.</source>
        <translation>请选择一个预测事件（橙色）以拒绝。</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>Reject %n predictions</source>
        <translation>
            <numerusform>拒绝 %n 个预测</numerusform>
        </translation>
    </message>
    <message>
        <location line="+23"/>
        <source>No event after the playhead.</source>
        <translation>播放头之后没有事件。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No event before the playhead.</source>
        <translation>播放头之前没有事件。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The playhead (%1) is past the end of the video (%2): no event added.</source>
        <translation>播放头（%1）已超出视频末尾（%2）：未添加事件。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Add an event at %1</source>
        <translation>在 %1 处添加事件</translation>
    </message>
</context>
<context>
    <name>avvp::ui::TrainingPanel</name>
    <message>
        <location filename="../ui/panels/training_panel.cpp" line="+40"/>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Variant</source>
        <translation>变体</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Switches</source>
        <translation>开关</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Hidden, layers, heads, ff</source>
        <translation>隐藏维度、层数、头数、前馈维度</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Features</source>
        <translation>特征</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LLP labels</source>
        <translation>LLP 标注</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>CPU threads (0: one per core)</source>
        <translation>CPU 线程数（0：每个核心一个）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Batch</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Peak lr</source>
        <translation>峰值学习率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warm-up epochs</source>
        <translation>预热轮数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU threads</source>
        <translation>CPU 线程数</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume</source>
        <translation>继续训练</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Continue from the output folder&apos;s last.ckpt (raise Epochs to train longer)</source>
        <translation>从输出文件夹的 last.ckpt 继续（增大轮数以训练更久）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Use the best checkpoint</source>
        <translation>使用最佳检查点</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>epoch</source>
        <translation>轮</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>loss (val dashed)</source>
        <translation>损失（虚线：验证）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>validation F (%)</source>
        <translation>验证 F（%）</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>(none for this variant)</source>
        <translation>（该变体没有）</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Training is already under way.</source>
        <translation>训练已在进行中。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose the feature, label and output folders.</source>
        <translation>请选择特征、标注和输出文件夹。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Resume training %1</source>
        <translation>继续训练 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Train %1 → %2</source>
        <translation>训练 %1 → %2</translation>
    </message>
    <message>
        <location filename="../app/studio/panel_controllers.cpp" line="+10"/>
        <source>epoch %1/%2</source>
        <translation>第 %1/%2 轮</translation>
    </message>
    <message>
        <location filename="../ui/panels/training_panel.cpp" line="+19"/>
        <source>Cancelled after epoch %1. </source>
        <translation>在第 %1 轮后取消。</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Done: %n epochs. </source>
        <translation>
            <numerusform>完成：%n 轮。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Best: epoch %1, validation segment Type@AV %2 % → %3</source>
        <translation>最佳：第 %1 轮，验证片段级 Type@AV %2 % → %3</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Training failed: %1</source>
        <translation>训练失败：%1</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>Resuming…</source>
        <translation>正在继续训练…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Training…</source>
        <translation>正在训练…</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Cancelled before the first checkpoint; Resume continues from last.ckpt when there is one.</source>
        <translation>在第一个检查点之前已取消；若存在 last.ckpt，“继续训练”将从它继续。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Epoch %1/%2: train loss %3, val loss %4, val segment Type@AV %5 %%6</source>
        <translation>第 %1/%2 轮：训练损失 %3，验证损失 %4，验证片段级 Type@AV %5 %%6</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>  (best so far)</source>
        <translation>  （目前最佳）</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>seg %1</source>
        <translation>片段 %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>best checkpoint</source>
        <translation>最佳检查点</translation>
    </message>
    <message>
        <location line="-222"/>
        <location line="+228"/>
        <source>lr</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location line="-226"/>
        <location line="+232"/>
        <source>μ</source>
        <translation>μ</translation>
    </message>
</context>
<context>
    <name>avvp::ui::TransportBar</name>
    <message>
        <location filename="../ui/widgets/transport_bar.cpp" line="+28"/>
        <source>To the start (Home)</source>
        <translation>跳到开头（Home）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One segment back (←)</source>
        <translation>后退一个片段（←）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One frame back (,)</source>
        <translation>后退一帧（,）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Play / pause (Space)</source>
        <translation>播放 / 暂停（空格）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One frame forward (.)</source>
        <translation>前进一帧（.）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One segment forward (→)</source>
        <translation>前进一个片段（→）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>To the end (End)</source>
        <translation>跳到结尾（End）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Playback speed; the sound keeps its pitch ([ slower, ] faster, \ 1×)</source>
        <translation>播放速度；声音保持音高（[ 减速，] 加速，\ 1×）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Audio + video</source>
        <translation>音频 + 视频</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audio only</source>
        <translation>仅音频</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Video only</source>
        <translation>仅视频</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check one modality: hide the picture, or mute the sound</source>
        <translation>检查单一模态：隐藏画面或静音</translation>
    </message>
</context>
<context>
    <name>avvp::ui::VideoBrowser</name>
    <message>
        <location filename="../ui/panels/video_browser.cpp" line="+30"/>
        <source>Search video id or label…</source>
        <translation>搜索视频 ID 或标签…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All splits</source>
        <translation>所有划分</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Own videos (no split)</source>
        <translation>自有视频（无划分）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Split</source>
        <translation>划分</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Any class</source>
        <translation>任意类别</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Class in the weak labels or the ground-truth events</source>
        <translation>出现在弱标签或真值事件中的类别</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Any modality</source>
        <translation>任意模态</translation>
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
    <message>
        <location line="+2"/>
        <source>Videos with ground-truth events of this modality (of the class when one is chosen)</source>
        <translation>含有此模态真值事件的视频（若选择了类别，则为该类别）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ground truth: any</source>
        <translation>真值：任意</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>With ground truth</source>
        <translation>有真值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Without ground truth</source>
        <translation>无真值</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Predictions: any</source>
        <translation>预测：任意</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>With predictions</source>
        <translation>有预测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Without predictions</source>
        <translation>无预测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prediction events or probabilities of the run shown in the timeline</source>
        <translation>时间轴所示运行的预测事件或概率</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Non-aligned only</source>
        <translation>仅不对齐</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Audio and visual labels disagree (a class heard but not seen, or seen but not heard)</source>
        <translation>音频与视觉标注不一致（某类别听到但没看到，或看到但没听到）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>With media</source>
        <translation>有媒体</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only videos with a playable media file</source>
        <translation>仅显示有可播放媒体文件的视频</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Score ≤</source>
        <translation>得分 ≤</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only videos whose score in the last evaluation is at most this (find the failures)</source>
        <translation>仅显示上次评估得分不超过此值的视频（查找失败样本）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Review: any</source>
        <translation>审核：任意</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only videos of this review status</source>
        <translation>仅此审核状态的视频</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Review progress of the split shown: videos done</source>
        <translation>所示划分的审核进度：已完成的视频</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>Mark as %1</source>
        <translation>标为%1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Next Video Needing Review</source>
        <translation>下一个待审核视频</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Review Status</source>
        <translation>审核状态</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1 of %2 done</source>
        <translation>%2 个中已完成 %1 个</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To do %1 · in progress %2 · needs review %3 · done %4</source>
        <translation>待办 %1 · 进行中 %2 · 待审核 %3 · 完成 %4</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>No video needs review</source>
        <translation>没有待审核的视频</translation>
    </message>
</context>
<context>
    <name>avvp::ui::VideoListModel</name>
    <message>
        <location filename="../ui/models/video_list_model.cpp" line="+28"/>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Needs review</source>
        <translation>待审核</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>To do</source>
        <translation>待办</translation>
    </message>
    <message>
        <location line="+151"/>
        <source>A %1 · V %2</source>
        <translation>音 %1 · 视 %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>non-aligned</source>
        <translation>不对齐</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>synthetic</source>
        <translation>合成</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>video</source>
        <translation>视频</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1
SYNTHETIC: rendered from the labels, not the real video</source>
        <translation>%1
合成：根据标注渲染，并非真实视频</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Audio and visual labels disagree: a class is heard where it is not seen, or seen where it is not heard</source>
        <translation>音频与视觉标注不一致：某类别在听到的地方没有看到，或在看到的地方没有听到</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Set by %1 on %2</source>
        <translation>由 %1 于 %2 设置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(unknown)</source>
        <translation>（未知）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>SYNTHETIC video (avvp synth)</source>
        <translation>合成视频（avvp synth）</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Split</source>
        <translation>划分</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Weak labels</source>
        <translation>弱标签</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ground truth</source>
        <translation>真值</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pred.</source>
        <translation>预测</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Corr.</source>
        <translation>修正</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alignment</source>
        <translation>对齐</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Media</source>
        <translation>媒体</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Review</source>
        <translation>审核</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A only</source>
        <translation>仅 A</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>B only</source>
        <translation>仅 B</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Both wrong</source>
        <translation>都错</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Dense ground-truth events: audio · visual (– = not densely annotated)</source>
        <translation>密集真值事件：音频 · 视觉（– 表示未密集标注）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Predicted events of the runs in the store</source>
        <translation>标注库中各运行的预测事件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Corrected events (every annotator)</source>
        <translation>修正事件（所有标注者）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Per-video score of the last evaluation (percent, AVVP protocol)</source>
        <translation>上次评估的单视频得分（百分比，AVVP 协议）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Review status: to do, in progress, needs review, done</source>
        <translation>审核状态：待办、进行中、待审核、完成</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Segment × class cells (audio + visual) only run A (%1) gets right against the ground truth</source>
        <translation>对照真值仅运行 A（%1）判对的片段 × 类别单元格（音频 + 视觉）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Segment × class cells (audio + visual) only run B (%1) gets right against the ground truth</source>
        <translation>对照真值仅运行 B（%1）判对的片段 × 类别单元格（音频 + 视觉）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Segment × class cells (audio + visual) both runs (A: %1, B: %2) get wrong</source>
        <translation>两个运行（A：%1，B：%2）都判错的片段 × 类别单元格（音频 + 视觉）</translation>
    </message>
</context>
<context>
    <name>avvp::ui::VideoView</name>
    <message>
        <location filename="../ui/widgets/video_view.cpp" line="+96"/>
        <source>No video</source>
        <translation>无视频</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Audio only (picture hidden)</source>
        <translation>仅音频（画面已隐藏）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audio file (no picture)</source>
        <translation>音频文件（无画面）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>muted</source>
        <translation>静音</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(no audio device)</source>
        <translation>（无音频设备）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>SYNTHETIC · rendered from the labels</source>
        <translation>合成 · 根据标注渲染</translation>
    </message>
</context>
<context>
    <name>avvp::workspace::EditCommand</name>
    <message>
        <location filename="../app/workspace/edit_command.cpp" line="+18"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>audio</source>
        <translation>音频</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>visual</source>
        <translation>视觉</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Relabel %1 as %2</source>
        <translation>将 %1 重新标注为 %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Move %1 to %2</source>
        <translation>将 %1 移至 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resize %1 to %2</source>
        <translation>将 %1 调整为 %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Add %1 %2</source>
        <translation>添加 %1 %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete %1 %2</source>
        <translation>删除 %1 %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Accept predicted %1 %2</source>
        <translation>接受预测的 %1 %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reject predicted %1 %2</source>
        <translation>拒绝预测的 %1 %2</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>%n edits</source>
        <translation>
            <numerusform>%n 项编辑</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>avvp::workspace::FeatureExtraction</name>
    <message numerus="yes">
        <location filename="../app/workspace/feature_extraction.cpp" line="+217"/>
        <source>%n video(s) decoded incompletely (lowest %1 %, %2 decode errors)</source>
        <translation>
            <numerusform>%n 个视频解码不完整（最低 %1 %，%2 个解码错误）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14"/>
        <source>No project is open.</source>
        <translation>未打开项目。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No encoders folder is chosen: choose the folder with the encoders&apos; manifest.json in Edit ▸ Preferences, or for this project in Models ▸ Extract Features.</source>
        <translation>未选择编码器文件夹：请在 编辑 ▸ 首选项 中选择含编码器 manifest.json 的文件夹，或在 模型 ▸ 提取特征 中为本项目单独选择。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A feature extraction is under way.</source>
        <translation>已有特征提取正在进行。</translation>
    </message>
</context>
<context>
    <name>avvp::workspace::Job</name>
    <message>
        <location filename="../app/workspace/jobs.cpp" line="+75"/>
        <source>about %1 left</source>
        <translation>约剩 %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 · about %2 left</source>
        <translation>%1 · 约剩 %2</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
</context>
<context>
    <name>avvp::workspace::ModelWorkflow</name>
    <message>
        <location filename="../app/workspace/model_workflow.cpp" line="+62"/>
        <source>The model did not run: %1</source>
        <translation>模型未运行：%1</translation>
    </message>
</context>
<context>
    <name>avvp::workspace::Session</name>
    <message>
        <location filename="../app/workspace/session.cpp" line="+165"/>
        <source>The edit history was changed elsewhere; the undo list was reloaded.</source>
        <translation>编辑历史已在别处被修改；撤销列表已重新加载。</translation>
    </message>
</context>
<context>
    <name>avvp::workspace::Stage</name>
    <message>
        <location filename="../app/workspace/stage_names.cpp" line="+18"/>
        <source>loading</source>
        <translation>加载中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>loading the encoders</source>
        <translation>正在加载编码器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>recording the features</source>
        <translation>正在记录特征</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>storing</source>
        <translation>正在存储</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reading</source>
        <translation>正在读取</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reading the store</source>
        <translation>正在读取标注库</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>writing</source>
        <translation>正在写入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>importing the LLP annotations</source>
        <translation>正在导入 LLP 标注</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>synthetic dataset (avvp synth --render)</source>
        <translation>合成数据集（avvp synth --render）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>synthetic predictions</source>
        <translation>合成预测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>synthetic training data</source>
        <translation>合成训练数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>training the demo model</source>
        <translation>正在训练演示模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rendering a long SYNTHETIC video</source>
        <translation>正在渲染一段较长的合成视频</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ground truth</source>
        <translation>真值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>predictions</source>
        <translation>预测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>scoring</source>
        <translation>正在评分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>comparing</source>
        <translation>正在比较</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>probabilities</source>
        <translation>概率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reference labels</source>
        <translation>参照标签</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ranking</source>
        <translation>正在排序</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>labels</source>
        <translation>标签</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>videos</source>
        <translation>视频</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reading files</source>
        <translation>正在读取文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>listing features</source>
        <translation>正在列出特征</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reading .npy headers</source>
        <translation>正在读取 .npy 文件头</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>written</source>
        <translation>已写入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rendered</source>
        <translation>已渲染</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>spectrogram</source>
        <translation>语谱图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>predicting</source>
        <translation>正在预测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>labels of %1</source>
        <translation>%1 的标签</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>predictions of %1</source>
        <translation>%1 的预测</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 of %2 videos</source>
        <translation>%1 / %2 个视频</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>video %1 of %2 · %3</source>
        <translation>视频 %1/%2 · %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>window %1 of %2</source>
        <translation>窗口 %1/%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>video %1 of %2</source>
        <translation>视频 %1/%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>audio window %1 of %2</source>
        <translation>音频窗口 %1/%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>visual window %1 of %2</source>
        <translation>视觉窗口 %1/%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>epoch %1/%2</source>
        <translation>第 %1/%2 轮</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>epoch %1/%2 validation</source>
        <translation>第 %1/%2 轮验证</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
</TS>
