<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AnswersTab</name>
    <message>
        <source>Blind</source>
        <extracomment>the widgets the page uses by name</extracomment>
        <translation>盲测</translation>
    </message>
    <message>
        <source>Show the answers as A, B, … in a random order until you vote</source>
        <translation>投票前以 A、B…… 的随机顺序显示回复，不显示模型名称</translation>
    </message>
    <message>
        <source>Next round to vote on</source>
        <translation>下一轮待投票</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Ask every model the same thing — Enter sends, Shift+Enter adds a line</source>
        <translation>向所有模型提出同一个问题——Enter 发送，Shift+Enter 换行</translation>
    </message>
    <message>
        <source>Send to all</source>
        <translation>全部发送</translation>
    </message>
    <message>
        <source>Stop all</source>
        <translation>全部停止</translation>
    </message>
    <message>
        <source>Compare models side by side</source>
        <translation>并排对比模型</translation>
    </message>
    <message>
        <source>Ask 2 to 4 models the same question — models on this computer, cloud models, or both — and read their answers side by side. Blind mode hides the names until you vote, and your votes build a leaderboard.</source>
        <translation>向 2 到 4 个模型（本机模型、云端模型，或两者混合）提出同一个问题，并排阅读它们的回复。盲测模式在你投票前隐藏模型名称，你的投票会生成排行榜。</translation>
    </message>
    <message>
        <source>New comparison…</source>
        <translation>新对比…</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Workbench is already open with the data folder {folder} (process {pid}) but does not answer; close it, or end that process, and start again.</source>
        <translation>Workbench 已在使用数据文件夹 {folder} 运行（进程 {pid}），但没有响应；请关闭它或结束该进程，然后重新启动。</translation>
    </message>
    <message>
        <source>Workbench cannot write to its data folder {folder}; check its permissions.</source>
        <translation>Workbench 无法写入数据文件夹 {folder}，请检查该文件夹的权限。</translation>
    </message>
    <message>
        <source>Workbench could not start again ({reason}); start it yourself.</source>
        <translation>Workbench 无法自动重新启动（{reason}），请手动启动。</translation>
    </message>
    <message>
        <source>error: {message}</source>
        <translation>错误：{message}</translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <source>Stop the reply before starting a new chat.</source>
        <extracomment>A new conversation is titled with the start of its first message. Reply error kinds after which the local model is gone: the next reply must ask for a load. The view id of a message waiting for the model to load (saved ones have positive ids).</extracomment>
        <translation>请先停止当前回复，再开始新对话。</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Stop the reply before switching chats.</source>
        <translation>请先停止当前回复，再切换对话。</translation>
    </message>
    <message>
        <source>Load a model first: choose one in the panel on the right and press Load.</source>
        <translation>请先加载模型：在右侧面板中选择一个模型，然后点击“加载”。</translation>
    </message>
    <message>
        <source>Choose a model for {name} on the right.</source>
        <translation>请在右侧为 {name} 选择一个模型。</translation>
    </message>
    <message>
        <source>Loading {name}…; your message is sent when it is ready.</source>
        <translation>正在加载 {name}…… 加载完成后会自动发送你的消息。</translation>
    </message>
    <message>
        <source>The model answered with nothing. Its prompt format may not fit: try another format in the model panel.</source>
        <translation>模型没有给出任何回复。可能是提示词格式不匹配：请在模型面板中换一种格式试试。</translation>
    </message>
</context>
<context>
    <name>ChatExchange</name>
    <message>
        <source>Import chats</source>
        <translation>导入对话</translation>
    </message>
    <message>
        <source>Chat exports (*.json *.zip);;All files (*)</source>
        <translation>对话导出文件 (*.json *.zip);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Importing chats…</source>
        <translation>正在导入对话…</translation>
    </message>
    <message>
        <source>Imported 1 chat.</source>
        <translation>已导入 1 个对话。</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n chats.</source>
        <translation><numerusform>已导入 %n 个对话。</numerusform></translation>
    </message>
    <message>
        <source>That chat was imported before, so it was skipped.</source>
        <translation>该对话之前已导入，已跳过。</translation>
    </message>
    <message numerus="yes">
        <source>Those %n chats were imported before, so they were skipped.</source>
        <translation><numerusform>这 %n 个对话之前已导入，已跳过。</numerusform></translation>
    </message>
    <message>
        <source>Chats imported: {added}. Skipped as imported before: {skipped}.</source>
        <translation>已导入对话：{added} 个。之前已导入而跳过：{skipped} 个。</translation>
    </message>
    <message>
        <source>{done} Some files could not be imported: {problem}</source>
        <translation>{done}部分文件无法导入：{problem}</translation>
    </message>
    <message>
        <source>Exporting chats…</source>
        <translation>正在导出对话…</translation>
    </message>
    <message>
        <source>Saved {path}.</source>
        <translation>已保存 {path}。</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n chats to {folder}.</source>
        <translation><numerusform>已将 %n 个对话导出到 {folder}。</numerusform></translation>
    </message>
    <message>
        <source>That chat no longer exists.</source>
        <translation>该对话已不存在。</translation>
    </message>
    <message>
        <source>That did not work; the log file has the details.</source>
        <translation>操作未能完成，详细信息已写入日志文件。</translation>
    </message>
</context>
<context>
    <name>ChatPage</name>
    <message>
        <source>Model</source>
        <extracomment>How long a transient notice stays, in milliseconds.</extracomment>
        <translation>模型</translation>
    </message>
    <message>
        <source>Show or hide the model panel</source>
        <translation>显示或隐藏模型面板</translation>
    </message>
    <message>
        <source>Show or hide the model panel (Ctrl+Shift+M)</source>
        <translation>显示或隐藏模型面板（Ctrl+Shift+M）</translation>
    </message>
    <message>
        <source>Model panel</source>
        <translation>模型面板</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Leave out the oldest messages</source>
        <translation>省略最早的消息</translation>
    </message>
    <message>
        <source>Answer again without the oldest messages of this chat; later replies in this chat leave them out too.</source>
        <translation>省略本对话中最早的消息后重新回答；本对话之后的回复也会省略这些消息。</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Send message</source>
        <translation>发送消息</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the reply</source>
        <translation>停止回复</translation>
    </message>
    <message>
        <source>Choose a model first: pick one in the panel on the right, or find one in Discover.</source>
        <translation>请先选择模型：在右侧面板中选一个，或到“发现”页面查找。</translation>
    </message>
    <message>
        <source>The model cannot be loaded with these options; see the panel.</source>
        <translation>无法用这些选项加载模型，请查看模型面板。</translation>
    </message>
    <message>
        <source>Message copied.</source>
        <translation>消息已复制。</translation>
    </message>
    <message>
        <source>Wait for the reply to finish, or press Stop.</source>
        <translation>请等待回复完成，或点击“停止”。</translation>
    </message>
    <message>
        <source>Your message was not sent; it is back in the message box.</source>
        <translation>消息未发送，已放回输入框。</translation>
    </message>
    <message>
        <source>Editing a message: Enter sends it as a new version, Esc cancels.</source>
        <translation>正在编辑消息：按 Enter 作为新版本发送，按 Esc 取消。</translation>
    </message>
    <message>
        <source>{name} does not take this setting; it is not sent.</source>
        <translation>{name} 不支持此设置，因此不会发送。</translation>
    </message>
    <message>
        <source>{loaded} is answering; Load to switch to {chosen}.</source>
        <translation>当前由 {loaded} 回复；点击“加载”可切换到 {chosen}。</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>加载</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Copy message</source>
        <translation>复制消息</translation>
    </message>
    <message>
        <source>Previous version</source>
        <translation>上一个版本</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>下一个版本</translation>
    </message>
    <message>
        <source>Show or hide reasoning</source>
        <translation>显示或隐藏思考过程</translation>
    </message>
</context>
<context>
    <name>CloudBackends</name>
    <message>
        <source>The provider {0} is no longer set up; add it again in Settings › Providers.</source>
        <translation>服务商 {0} 已不在配置中，请在“设置 › 服务商”中重新添加。</translation>
    </message>
    <message>
        <source>There is no key for {0} yet: add it in Settings › Providers.</source>
        <translation>{0} 还没有 API 密钥，请在“设置 › 服务商”中添加。</translation>
    </message>
</context>
<context>
    <name>CloudSession</name>
    <message>
        <source>The key could not be saved; the details are in the log file.</source>
        <translation>无法保存 API 密钥，详细信息见日志文件。</translation>
    </message>
</context>
<context>
    <name>CompareController</name>
    <message>
        <source>Something went wrong; the log file has the details.</source>
        <extracomment>the job queue of the compare page's reads and writes: one at a time, in the order asked</extracomment>
        <translation>出了点问题，详情请查看日志文件。</translation>
    </message>
    <message>
        <source>Checking memory…</source>
        <translation>正在检查内存…</translation>
    </message>
    <message>
        <source>These local models don't fit in memory together, so they answer one after the other.</source>
        <translation>这些本地模型无法同时装入内存，因此将依次回复。</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
</context>
<context>
    <name>ComparePage</name>
    <message>
        <source>Answers</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>表格</translation>
    </message>
    <message>
        <source>Prompt sets</source>
        <translation>提示词集</translation>
    </message>
    <message>
        <source>Leaderboard</source>
        <translation>排行榜</translation>
    </message>
    <message>
        <source>New comparison</source>
        <translation>新对比</translation>
    </message>
    <message>
        <source>Delete comparison</source>
        <translation>删除对比</translation>
    </message>
    <message>
        <source>Delete the comparison “{title}” and its answers? Votes already cast stay in the leaderboard.</source>
        <translation>删除对比“{title}”及其所有回复？已投的票会保留在排行榜中。</translation>
    </message>
    <message numerus="yes">
        <source>%n models, hidden until you vote</source>
        <translation><numerusform>%n 个模型，投票后揭晓</numerusform></translation>
    </message>
    <message>
        <source>Prompt {current} of {total}</source>
        <translation>第 {current} 个提示词，共 {total} 个</translation>
    </message>
    <message>
        <source>The prompt set was cancelled after 1 prompt; its answers are kept.</source>
        <translation>提示词集在完成 1 个提示词后被取消，已有回复会保留。</translation>
    </message>
    <message numerus="yes">
        <source>The prompt set was cancelled after %n prompts; the answers so far are kept.</source>
        <translation><numerusform>提示词集在完成 %n 个提示词后被取消，已有回复会保留。</numerusform></translation>
    </message>
    <message>
        <source>Wait for the answers being written, or press Stop all.</source>
        <translation>请等待正在生成的回复完成，或点击“全部停止”。</translation>
    </message>
    <message>
        <source>Press “New comparison” first to choose the models.</source>
        <translation>请先点击“新对比”选择模型。</translation>
    </message>
    <message>
        <source>Waiting…</source>
        <translation>等待中…</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>The prompt set is done. Vote on each round blind here, or double-click a row in the Table tab.</source>
        <translation>提示词集已运行完毕。可在此对每一轮进行盲测投票，或在“表格”标签页中双击某一行。</translation>
    </message>
    <message>
        <source>The prompt set is done; the Table tab shows every answer.</source>
        <translation>提示词集已运行完毕，“表格”标签页中列出了所有回复。</translation>
    </message>
</context>
<context>
    <name>ComparePane</name>
    <message>
        <source>price unknown — &lt;a href='prices'&gt;set it in Settings › Prices&lt;/a&gt;</source>
        <translation>价格未知——&lt;a href='prices'&gt;在“设置 › 价格”中设置&lt;/a&gt;</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Answer {name}</source>
        <translation>回复 {name}</translation>
    </message>
    <message>
        <source>This answer failed; why is shown after the vote.</source>
        <translation>此回复生成失败，原因将在投票后显示。</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Write a message — Enter sends, Shift+Enter adds a line</source>
        <translation>输入消息 —— Enter 发送，Shift+Enter 换行</translation>
    </message>
</context>
<context>
    <name>ComputerPage</name>
    <message>
        <source>Measure again</source>
        <translation>重新检测</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>Graphics card</source>
        <translation>显卡</translation>
    </message>
    <message>
        <source>This build</source>
        <translation>当前版本</translation>
    </message>
    <message>
        <source>Measuring…</source>
        <translation>正在检测…</translation>
    </message>
    <message>
        <source>This computer could not be measured: {reason}</source>
        <translation>无法检测本机信息：{reason}</translation>
    </message>
    <message>
        <source>{total} ({free} free now)</source>
        <translation>{total}（当前可用 {free}）</translation>
    </message>
    <message>
        <source>{name}: {total} ({free} free)</source>
        <translation>{name}：{total}（可用 {free}）</translation>
    </message>
    <message>
        <source>None found that Workbench can use</source>
        <translation>未找到 Workbench 可用的显卡</translation>
    </message>
    <message>
        <source>Can put models on a graphics card</source>
        <translation>可以把模型放到显卡上运行</translation>
    </message>
    <message>
        <source>Runs models on the processor only</source>
        <translation>只能用处理器（CPU）运行模型</translation>
    </message>
</context>
<context>
    <name>ConversationFilterModel</name>
    <message>
        <source>The search failed because of an internal error: {error}</source>
        <translation>搜索因内部错误而失败：{error}</translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message>
        <source>Last updated {time}</source>
        <translation>最后更新于 {time}</translation>
    </message>
    <message>
        <source>This chat no longer exists; it was not renamed.</source>
        <translation>此对话已不存在，未能重命名。</translation>
    </message>
</context>
<context>
    <name>Discover</name>
    <message>
        <source>Something went wrong while talking to the Hub; the details are in the log file.</source>
        <extracomment>Catalogue models listed under the recommendation when the search is empty.</extracomment>
        <translation>与 Hub 通信时出错，详细信息已写入日志文件。</translation>
    </message>
</context>
<context>
    <name>DiscoverPage</name>
    <message>
        <source>Search GGUF models on the Hub, e.g. qwen3 4b</source>
        <translation>在 Hub 上搜索 GGUF 模型，例如 qwen3 4b</translation>
    </message>
    <message>
        <source>Search the Hub</source>
        <translation>搜索 Hub</translation>
    </message>
    <message>
        <source>Sort results by</source>
        <translation>结果排序方式</translation>
    </message>
    <message>
        <source>Most downloaded</source>
        <translation>下载最多</translation>
    </message>
    <message>
        <source>Most liked</source>
        <translation>点赞最多</translation>
    </message>
    <message>
        <source>Recently updated</source>
        <translation>最近更新</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <source>More results</source>
        <translation>更多结果</translation>
    </message>
    <message>
        <source>Context length used for the fit estimate</source>
        <translation>估算适配情况所用的上下文长度</translation>
    </message>
    <message>
        <source>KV cache type used for the fit estimate</source>
        <translation>估算适配情况所用的 KV 缓存类型</translation>
    </message>
    <message>
        <source>Fit for context</source>
        <translation>按上下文长度估算</translation>
    </message>
    <message>
        <source>tokens, KV cache</source>
        <translation>个 Token，KV 缓存</translation>
    </message>
    <message>
        <source>Model files</source>
        <translation>模型文件</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适配情况</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Show downloads</source>
        <translation>查看下载</translation>
    </message>
    <message>
        <source>Hub: {host} (&lt;a href='settings'&gt;change&lt;/a&gt;)</source>
        <translation>Hub：{host}（&lt;a href='settings'&gt;更改&lt;/a&gt;）</translation>
    </message>
    <message>
        <source>Finding models that suit this computer…</source>
        <translation>正在查找适合本机的模型…</translation>
    </message>
    <message>
        <source>Suggested for this computer — or search above</source>
        <translation>适合本机的推荐模型，也可以在上方搜索</translation>
    </message>
    <message>
        <source>Recommended</source>
        <translation>推荐</translation>
    </message>
    <message>
        <source>Smaller</source>
        <translation>更小</translation>
    </message>
    <message>
        <source>Larger</source>
        <translation>更大</translation>
    </message>
    <message>
        <source>{kind}: {name} — {fit}
{repo} · {size}</source>
        <translation>{kind}：{name} — {fit}
{repo} · {size}</translation>
    </message>
    <message>
        <source>{name}
{repo} · licence: {licence}</source>
        <translation>{name}
{repo} · 许可证：{licence}</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>Loading more results…</source>
        <translation>正在加载更多结果…</translation>
    </message>
    <message>
        <source>No GGUF models match this search.</source>
        <translation>没有符合搜索条件的 GGUF 模型。</translation>
    </message>
    <message numerus="yes">
        <source>%n models shown.</source>
        <translation><numerusform>已显示 %n 个模型。</numerusform></translation>
    </message>
    <message>
        <source>context {n}</source>
        <translation>上下文 {n}</translation>
    </message>
    <message>
        <source>{n} downloads</source>
        <translation>{n} 次下载</translation>
    </message>
    <message>
        <source>{n} likes</source>
        <translation>{n} 个赞</translation>
    </message>
    <message>
        <source>updated {date}</source>
        <translation>更新于 {date}</translation>
    </message>
    <message>
        <source>gated</source>
        <translation>受限</translation>
    </message>
    <message>
        <source>Choose a model on the left</source>
        <translation>请在左侧选择一个模型</translation>
    </message>
    <message>
        <source>Reading the repository…</source>
        <translation>正在读取仓库…</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>{name} — vision projector (used with a model)</source>
        <translation>{name} — 视觉投影文件（需配合模型使用）</translation>
    </message>
    <message>
        <source>In library · {size}</source>
        <translation>已在模型库 · {size}</translation>
    </message>
    <message>
        <source>This repository has no GGUF files.</source>
        <translation>此仓库中没有 GGUF 文件。</translation>
    </message>
    <message>
        <source>Some split models are missing parts and are not offered: {names}</source>
        <translation>以下分片模型缺少部分分片，因此不提供下载：{names}</translation>
    </message>
    <message>
        <source>{n} parameters</source>
        <translation>{n} 参数</translation>
    </message>
    <message>
        <source>licence: {l}</source>
        <translation>许可证：{l}</translation>
    </message>
    <message>
        <source>not stated</source>
        <translation>未注明</translation>
    </message>
    <message>
        <source>gated: accept the terms on the Hub and set a token</source>
        <translation>受限：需在 Hub 上同意使用条款并设置访问令牌</translation>
    </message>
    <message>
        <source>private</source>
        <translation>私有</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>检查中…</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>{ram} free RAM · {gpu}: {vram} free</source>
        <translation>可用内存 {ram} · {gpu}：可用显存 {vram}</translation>
    </message>
    <message>
        <source>{ram} free RAM · no GPU found</source>
        <translation>可用内存 {ram} · 未找到 GPU</translation>
    </message>
    <message>
        <source>In library · Chat with it</source>
        <translation>已在模型库 · 开始对话</translation>
    </message>
    <message>
        <source>Download {size}</source>
        <translation>下载（{size}）</translation>
    </message>
    <message>
        <source>{name} is in the download queue.</source>
        <translation>{name} 已加入下载队列。</translation>
    </message>
</context>
<context>
    <name>DownloadsView</name>
    <message>
        <source>No downloads. Find models on the Discover page.</source>
        <translation>没有下载任务。可以在“发现”页面查找模型。</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export chats</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <source>All chats</source>
        <translation>全部对话</translation>
    </message>
    <message>
        <source>This chat: {title}</source>
        <translation>当前对话：{title}</translation>
    </message>
    <message>
        <source>This chat</source>
        <translation>当前对话</translation>
    </message>
    <message>
        <source>Chosen chats:</source>
        <translation>选中的对话：</translation>
    </message>
    <message>
        <source>Chats to export</source>
        <translation>要导出的对话</translation>
    </message>
    <message>
        <source>Chats:</source>
        <translation>对话：</translation>
    </message>
    <message>
        <source>Markdown, to read and share (.md)</source>
        <translation>Markdown，便于阅读和分享 (.md)</translation>
    </message>
    <message>
        <source>JSON, every version, to import again (.json)</source>
        <translation>JSON，包含所有版本，可再次导入 (.json)</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>格式(&amp;F)：</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose the folder</source>
        <translation>选择文件夹</translation>
    </message>
    <message>
        <source>F&amp;older:</source>
        <translation>文件夹(&amp;O)：</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Export to this folder</source>
        <translation>导出到此文件夹</translation>
    </message>
</context>
<context>
    <name>GpuLayersControl</name>
    <message>
        <source>Auto</source>
        <extracomment>spin box range while the model's layer count is unknown (its top still means "all")</extracomment>
        <translation>自动</translation>
    </message>
    <message>
        <source>Choose the GPU layers automatically</source>
        <translation>自动选择 GPU 层数</translation>
    </message>
    <message>
        <source>GPU layers</source>
        <translation>GPU 层数</translation>
    </message>
    <message>
        <source>Auto: on the CPU</source>
        <translation>自动：在 CPU 上运行</translation>
    </message>
    <message>
        <source>Auto: as many layers on your GPU as fit, chosen when the model loads</source>
        <translation>自动：加载模型时决定，显存放得下多少层就卸载多少层到 GPU</translation>
    </message>
    <message numerus="yes">
        <source>Auto: all %n layers on your GPU</source>
        <translation><numerusform>自动：全部 %n 层都在 GPU 上</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Auto: {on} of %n layers on your GPU, to leave room for a context of {ctx} tokens</source>
        <translation><numerusform>自动：%n 层中的 {on} 层在 GPU 上，为 {ctx} 个 Token 的上下文留出空间</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Auto: {on} of %n layers on your GPU, as many as loaded last time without running out of graphics memory</source>
        <translation><numerusform>自动：%n 层中的 {on} 层在 GPU 上，与上次未耗尽显存时加载的层数相同</numerusform></translation>
    </message>
    <message>
        <source>Auto: on the CPU — the graphics memory ran out last time</source>
        <translation>自动：在 CPU 上运行 —— 上次显存不足</translation>
    </message>
    <message>
        <source>Auto: on the CPU — this build of Workbench cannot use your graphics card</source>
        <translation>自动：在 CPU 上运行 —— 此版本的 Workbench 无法使用你的显卡</translation>
    </message>
    <message>
        <source>Auto: on the CPU — no graphics card found</source>
        <translation>自动：在 CPU 上运行 —— 未找到显卡</translation>
    </message>
    <message>
        <source>Auto: on the CPU — the graphics card's free memory could not be read</source>
        <translation>自动：在 CPU 上运行 —— 无法读取显卡的可用显存</translation>
    </message>
    <message>
        <source>Auto: on the CPU — your graphics card has too little free memory for this model</source>
        <translation>自动：在 CPU 上运行 —— 显卡的可用显存不足以运行此模型</translation>
    </message>
    <message>
        <source>Auto: on the CPU — this file does not say how large its layers are</source>
        <translation>自动：在 CPU 上运行 —— 此文件未注明各层的大小</translation>
    </message>
    <message>
        <source>On the CPU — this build of Workbench cannot use your graphics card</source>
        <translation>在 CPU 上运行 —— 此版本的 Workbench 无法使用你的显卡</translation>
    </message>
    <message>
        <source>On the CPU (0 layers on the GPU)</source>
        <translation>在 CPU 上运行（0 层在 GPU 上）</translation>
    </message>
    <message numerus="yes">
        <source>All %n layers on the GPU</source>
        <translation><numerusform>全部 %n 层都在 GPU 上</numerusform></translation>
    </message>
    <message>
        <source>All layers on the GPU</source>
        <translation>所有层都在 GPU 上</translation>
    </message>
    <message numerus="yes">
        <source>{on} of %n layers on the GPU</source>
        <translation><numerusform>%n 层中的 {on} 层在 GPU 上</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n layers on the GPU</source>
        <translation><numerusform>%n 层在 GPU 上</numerusform></translation>
    </message>
    <message>
        <source>On the CPU.</source>
        <translation>在 CPU 上运行。</translation>
    </message>
    <message>
        <source>All {total} layers on the GPU.</source>
        <translation>全部 {total} 层都在 GPU 上。</translation>
    </message>
    <message>
        <source>{used} of {total} layers on the GPU.</source>
        <translation>{total} 层中的 {used} 层在 GPU 上。</translation>
    </message>
</context>
<context>
    <name>HubSession</name>
    <message>
        <source>The system keychain could not be used.</source>
        <extracomment>The job queue of the system keychain: one read or write at a time, in the order asked.</extracomment>
        <translation>无法使用系统钥匙串。</translation>
    </message>
</context>
<context>
    <name>JobRow</name>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Cancel download</source>
        <translation>取消下载</translation>
    </message>
    <message>
        <source>Cancel this download and delete what has been downloaded so far?</source>
        <translation>取消此下载并删除已下载的部分吗？</translation>
    </message>
    <message>
        <source>{name}: {percent} % downloaded</source>
        <translation>{name}：已下载 {percent}%</translation>
    </message>
    <message>
        <source>Waiting for another download of this file to finish · {done} of {total}</source>
        <translation>正在等待此文件的另一个下载完成 · {done} / {total}</translation>
    </message>
    <message>
        <source>{done} of {total} · {speed}/s · {eta} left</source>
        <translation>{done} / {total} · {speed}/s · 剩余 {eta}</translation>
    </message>
    <message>
        <source>{done} of {total} · {speed}/s</source>
        <translation>{done} / {total} · {speed}/s</translation>
    </message>
    <message>
        <source>Waiting · {done} of {total}</source>
        <translation>排队中 · {done} / {total}</translation>
    </message>
    <message>
        <source>Paused · {done} of {total}</source>
        <translation>已暂停 · {done} / {total}</translation>
    </message>
    <message>
        <source>Checking the file against the Hub's checksum…</source>
        <translation>正在用 Hub 提供的校验值校验文件…</translation>
    </message>
    <message>
        <source>Done · verified · in your library</source>
        <translation>已完成 · 已校验 · 已加入模型库</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>The download failed.</source>
        <translation>下载失败。</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>English</source>
        <translation>简体中文</translation>
    </message>
</context>
<context>
    <name>LanguageBox</name>
    <message>
        <source>Workbench shows the new language after a restart.</source>
        <translation>重新启动 Workbench 后将使用新的语言。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Follow the system ({language})</source>
        <translation>跟随系统（{language}）</translation>
    </message>
    <message>
        <source>Restart now</source>
        <translation>立即重新启动</translation>
    </message>
</context>
<context>
    <name>LeaderboardView</name>
    <message>
        <source>Show votes with this tag</source>
        <translation>显示带此标签的投票</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>全部标签</translation>
    </message>
    <message>
        <source>&amp;Tag:</source>
        <translation>标签(&amp;T)：</translation>
    </message>
    <message>
        <source>Leaderboard</source>
        <translation>排行榜</translation>
    </message>
    <message>
        <source>The rating is a Bradley–Terry fit on the Elo scale: a model 100 points above another is expected to win about 64 % of the time. The interval comes from refitting on votes resampled at random; a wide one means more votes are needed.</source>
        <translation>评分由 Bradley–Terry 模型拟合，按 Elo 分制显示：比另一个模型高 100 分的模型，预计约有 64% 的胜率。区间来自对随机重抽样的投票重新拟合；区间越宽，说明还需要更多投票。</translation>
    </message>
    <message>
        <source>Export votes…</source>
        <translation>导出投票…</translation>
    </message>
    <message>
        <source>Save the votes shown as a CSV file</source>
        <translation>将当前显示的投票保存为 CSV 文件</translation>
    </message>
    <message>
        <source>Export ratings…</source>
        <translation>导出评分…</translation>
    </message>
    <message>
        <source>Save the ratings shown as a CSV file</source>
        <translation>将当前显示的评分保存为 CSV 文件</translation>
    </message>
    <message>
        <source>Export JSON…</source>
        <translation>导出 JSON…</translation>
    </message>
    <message>
        <source>Save every comparison (rounds, answers) and the votes shown as a JSON file</source>
        <translation>将所有对比（各轮及回复）和当前显示的投票保存为 JSON 文件</translation>
    </message>
    <message>
        <source>The ratings could not be computed; the log file has the details.</source>
        <translation>无法计算评分，详情请查看日志文件。</translation>
    </message>
    <message>
        <source>No votes yet. Vote in a blind comparison and the ratings appear here.</source>
        <translation>还没有投票。在盲测对比中投票后，评分会显示在这里。</translation>
    </message>
    <message>
        <source>No votes carry the tag “{tag}” yet.</source>
        <translation>还没有带“{tag}”标签的投票。</translation>
    </message>
    <message>
        <source>1 vote between {models} models</source>
        <translation>{models} 个模型之间的 1 次投票</translation>
    </message>
    <message>
        <source>{votes} votes between {models} models</source>
        <translation>{models} 个模型之间的 {votes} 次投票</translation>
    </message>
    <message>
        <source>Export votes</source>
        <translation>导出投票</translation>
    </message>
    <message>
        <source>Export ratings</source>
        <translation>导出评分</translation>
    </message>
    <message>
        <source>Export comparisons</source>
        <translation>导出对比</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Saving {name}…</source>
        <translation>正在保存 {name}…</translation>
    </message>
    <message>
        <source>Saved {path}.</source>
        <translation>已保存 {path}。</translation>
    </message>
    <message>
        <source>The file could not be saved; the log file has the details.</source>
        <translation>无法保存文件，详情请查看日志文件。</translation>
    </message>
</context>
<context>
    <name>LibraryPage</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适配情况</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Add a GGUF file from this computer (or drop files on this page)</source>
        <translation>添加本机上的 GGUF 文件（也可以把文件拖到此页面）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Models on this computer</source>
        <translation>本机上的模型</translation>
    </message>
    <message>
        <source>Use in chat</source>
        <translation>在对话中使用</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Models folder: {folder}</source>
        <translation>模型文件夹：{folder}</translation>
    </message>
    <message>
        <source>Something went wrong; the details are in the log file.</source>
        <translation>出现错误，详细信息已写入日志文件。</translation>
    </message>
    <message>
        <source>Unusable</source>
        <translation>无法使用</translation>
    </message>
    <message numerus="yes">
        <source>%n models.</source>
        <translation><numerusform>共 %n 个模型。</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Delete {name} ({size}, %n files) from this computer?</source>
        <translation><numerusform>要从本机删除 {name}（{size}，共 %n 个文件）吗？</numerusform></translation>
    </message>
    <message>
        <source>Delete {name} ({size}) from this computer?</source>
        <translation>要从本机删除 {name}（{size}）吗？</translation>
    </message>
    <message numerus="yes">
        <source>Copy the %n files into your models folder, or use them where they are?</source>
        <translation><numerusform>将这 %n 个文件复制到模型文件夹，还是在原位置直接使用？</numerusform></translation>
    </message>
    <message>
        <source>No models yet: download one on the Discover page, or import a file.</source>
        <translation>还没有模型：可以在“发现”页面下载，或导入模型文件。</translation>
    </message>
    <message>
        <source>Downloaded from {repo}</source>
        <translation>下载自 {repo}</translation>
    </message>
    <message>
        <source>Used in place</source>
        <translation>原位使用</translation>
    </message>
    <message>
        <source>Imported (copied)</source>
        <translation>已导入（复制）</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>已下载</translation>
    </message>
    <message>
        <source>In the models folder</source>
        <translation>在模型文件夹中</translation>
    </message>
    <message>
        <source>Hugging Face cache</source>
        <translation>Hugging Face 缓存</translation>
    </message>
    <message>
        <source>Remove from library…</source>
        <translation>从模型库移除…</translation>
    </message>
    <message>
        <source>Remove {name} from the library? The file itself stays where it is.</source>
        <translation>要从模型库中移除 {name} 吗？文件本身会保留在原处。</translation>
    </message>
    <message>
        <source>Delete model</source>
        <translation>删除模型</translation>
    </message>
    <message>
        <source>Import model files</source>
        <translation>导入模型文件</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
    <message>
        <source>Import models</source>
        <translation>导入模型</translation>
    </message>
    <message>
        <source>Copy the file into your models folder, or use it where it is?</source>
        <translation>将文件复制到模型文件夹，还是在原位置直接使用？</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Use in place</source>
        <translation>原位使用</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
</context>
<context>
    <name>LoadStatus</name>
    <message>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <source>Load the model</source>
        <translation>加载模型</translation>
    </message>
    <message>
        <source>Unload</source>
        <translation>卸载</translation>
    </message>
    <message>
        <source>Unload the model</source>
        <translation>卸载模型</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel loading</source>
        <translation>取消加载</translation>
    </message>
    <message>
        <source>Loading progress</source>
        <translation>加载进度</translation>
    </message>
    <message>
        <source>Model status</source>
        <translation>模型状态</translation>
    </message>
    <message>
        <source>Not loaded</source>
        <translation>未加载</translation>
    </message>
    <message>
        <source>Model error</source>
        <translation>模型错误</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>正在加载 {name}……</translation>
    </message>
    <message>
        <source>Loaded {name} in {seconds} s — context {tokens} tokens</source>
        <translation>已加载 {name}，用时 {seconds} 秒 —— 上下文 {tokens} 个 Token</translation>
    </message>
</context>
<context>
    <name>Locale</name>
    <message>
        <source>.</source>
        <translation>.</translation>
    </message>
    <message>
        <source>,</source>
        <translation>,</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Workbench</source>
        <translation>Workbench</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>Discover</source>
        <translation>发现</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>模型库</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Open the settings</source>
        <translation>打开设置</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New chat</source>
        <translation>新对话(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open model file…</source>
        <translation>打开模型文件(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Import chats…</source>
        <translation>导入对话(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Export chats…</source>
        <translation>导出对话(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>剪切(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Find chats</source>
        <translation>查找对话(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation>对话(&amp;C)</translation>
    </message>
    <message>
        <source>C&amp;ompare</source>
        <translation>对比(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Discover</source>
        <translation>发现(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Library</source>
        <translation>模型库(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Load</source>
        <translation>加载(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Unload</source>
        <translation>卸载(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Stop reply</source>
        <translation>停止回复(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Open the &amp;logs folder</source>
        <translation>打开日志文件夹(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;About Workbench</source>
        <translation>关于 Workbench(&amp;A)</translation>
    </message>
    <message>
        <source>Open a model file</source>
        <translation>打开模型文件</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
    <message>
        <source>About Workbench</source>
        <translation>关于 Workbench</translation>
    </message>
    <message>
        <source>Workbench {version}</source>
        <translation>Workbench {version}</translation>
    </message>
    <message>
        <source>Chat with models on this computer or through cloud services. Data folder: {folder}</source>
        <translation>与本机上的模型或通过云端服务对话。数据文件夹：{folder}</translation>
    </message>
    <message>
        <source>Library ({n} downloading)</source>
        <translation>模型库（{n} 个下载中）</translation>
    </message>
    <message>
        <source>{name} is downloaded, verified and in your library.</source>
        <translation>{name} 已下载并校验完成，已加入模型库。</translation>
    </message>
    <message>
        <source>Chat with it</source>
        <translation>开始对话</translation>
    </message>
    <message>
        <source>A download failed.</source>
        <translation>有一个下载失败了。</translation>
    </message>
    <message>
        <source>Workbench closed while loading {name} last time, so it is not loaded again now; press Load to try.</source>
        <translation>上次 Workbench 在加载 {name} 时关闭了，所以这次没有自动加载；如需重试，请点击“加载”。</translation>
    </message>
</context>
<context>
    <name>Markdown</name>
    <message>
        <source>[image: {name}]</source>
        <translation>[图片：{name}]</translation>
    </message>
    <message>
        <source>Copy the code to the clipboard</source>
        <translation>将代码复制到剪贴板</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>The reply failed.</source>
        <translation>回复失败。</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>This reply was interrupted; the text above is what was saved.</source>
        <translation>此回复被中断了，上面是已保存的内容。</translation>
    </message>
    <message>
        <source>Waiting for the model to load; sent when it is ready.</source>
        <translation>正在等待模型加载，加载完成后发送。</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Thinking…</source>
        <translation>思考中……</translation>
    </message>
    <message>
        <source>Thought for {seconds} s</source>
        <translation>思考了 {seconds} 秒</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>思考过程</translation>
    </message>
    <message>
        <source>Code copied.</source>
        <translation>代码已复制。</translation>
    </message>
</context>
<context>
    <name>MessageFigures</name>
    <message>
        <source>left out of the latest reply</source>
        <extracomment>The key, in a view item's stats, of a message the latest reply did not see (left out so that the conversation fits the context); set by the chat controller, never saved.</extracomment>
        <translation>最新回复时已省略</translation>
    </message>
    <message>
        <source>{count} tokens</source>
        <translation>{count} 个 Token</translation>
    </message>
    <message>
        <source>{rate} tok/s</source>
        <translation>{rate} Token/秒</translation>
    </message>
    <message>
        <source>first token {seconds} s</source>
        <translation>首 Token 用时 {seconds} 秒</translation>
    </message>
    <message>
        <source>left out the oldest message</source>
        <translation>已省略最早的 1 条消息</translation>
    </message>
    <message>
        <source>left out the {count} oldest messages</source>
        <translation>已省略最早的 {count} 条消息</translation>
    </message>
</context>
<context>
    <name>ModelController</name>
    <message>
        <source>Loading failed unexpectedly: {error} (details are in the log file).</source>
        <translation>加载意外失败：{error}（详情见日志文件）。</translation>
    </message>
</context>
<context>
    <name>ModelFilePicker</name>
    <message>
        <source>Model file</source>
        <translation>模型文件</translation>
    </message>
    <message>
        <source>No models yet — choose a file</source>
        <translation>还没有模型 —— 请选择一个文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Browse for a model file</source>
        <translation>浏览模型文件</translation>
    </message>
    <message>
        <source>Model details</source>
        <translation>模型详情</translation>
    </message>
    <message>
        <source>Choose a model file</source>
        <translation>选择模型文件</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
    <message>
        <source>Reading the file…</source>
        <translation>正在读取文件……</translation>
    </message>
    <message>
        <source>Workbench could not read this file ({error}).</source>
        <translation>Workbench 无法读取此文件（{error}）。</translation>
    </message>
    <message>
        <source>unknown architecture</source>
        <translation>未知架构</translation>
    </message>
    <message>
        <source>{count} parameters</source>
        <translation>{count} 参数</translation>
    </message>
    <message numerus="yes">
        <source>%n layers</source>
        <translation><numerusform>%n 层</numerusform></translation>
    </message>
    <message>
        <source>trained context {tokens} tokens</source>
        <translation>训练上下文 {tokens} 个 Token</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>Model</source>
        <extracomment>The sampling controls always in view; the others are under Advanced. Load options with controls of their own, not in the Advanced form.</extracomment>
        <translation>模型</translation>
    </message>
    <message>
        <source>Loading</source>
        <translation>加载</translation>
    </message>
    <message>
        <source>Reload hint</source>
        <translation>重新加载提示</translation>
    </message>
    <message>
        <source>Reload the model to apply these changes</source>
        <translation>重新加载模型后这些更改才会生效</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>高级</translation>
    </message>
    <message>
        <source>Advanced settings</source>
        <translation>高级设置</translation>
    </message>
    <message>
        <source>More load options (context, threads, cache) and sampling controls</source>
        <translation>更多加载选项（上下文、线程数、缓存）和采样设置</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>Sampling error</source>
        <translation>采样错误</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Reset sampling to defaults</source>
        <translation>将采样设置恢复为默认值</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Optional instructions for the model</source>
        <translation>给模型的可选指令</translation>
    </message>
    <message>
        <source>Needs flash attention</source>
        <translation>需要开启 Flash Attention</translation>
    </message>
    <message>
        <source>Choose a model file first.</source>
        <translation>请先选择模型文件。</translation>
    </message>
</context>
<context>
    <name>NewComparisonDialog</name>
    <message>
        <source>New comparison</source>
        <translation>新对比</translation>
    </message>
    <message>
        <source>Choose 2 to 4 models. Each gets the same prompts and keeps its own conversation; local models and cloud models can be mixed.</source>
        <translation>选择 2 到 4 个模型。每个模型收到相同的提示词，并各自保留自己的对话；本地模型和云端模型可以混合使用。</translation>
    </message>
    <message>
        <source>Add a model</source>
        <translation>添加模型</translation>
    </message>
    <message>
        <source>Optional; the first prompt otherwise</source>
        <translation>可选；留空则使用第一个提示词</translation>
    </message>
    <message>
        <source>e.g. coding, Chinese (comma-separated)</source>
        <translation>例如：编程, 中文（用逗号分隔）</translation>
    </message>
    <message>
        <source>Blind: show the answers as A, B, … in a random order until I vote</source>
        <translation>盲测：投票前以 A、B…… 的随机顺序显示回复</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Choose a model in every row, or remove the empty row.</source>
        <translation>请在每一行选择模型，或删除空行。</translation>
    </message>
    <message>
        <source>The model file {name} was not found.</source>
        <translation>找不到模型文件 {name}。</translation>
    </message>
</context>
<context>
    <name>OptionsForm</name>
    <message>
        <source>Text that ends a reply; separate with commas, \n for a new line</source>
        <extracomment>a spin box holds a C int; wider ranges (seeds) use a double spin box with no decimals</extracomment>
        <translation>遇到即结束回复的文本；用逗号分隔，\n 表示换行</translation>
    </message>
    <message>
        <source>Not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>At most {count} stop strings. Text that ends a reply; separate with commas, \n for a new line</source>
        <translation>最多 {count} 个停止词。遇到即结束回复的文本；用逗号分隔，\n 表示换行</translation>
    </message>
</context>
<context>
    <name>PresetsBox</name>
    <message>
        <source>Presets</source>
        <extracomment>the settings a preset holds, as the panel shows them: (sampling dict, system prompt)</extracomment>
        <translation>预设</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Choose a preset</source>
        <translation>选择预设</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Save as a preset</source>
        <translation>保存为预设</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete the preset</source>
        <translation>删除此预设</translation>
    </message>
    <message>
        <source>Preset name</source>
        <translation>预设名称</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Save the preset</source>
        <translation>保存预设</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Do not save the preset</source>
        <translation>不保存预设</translation>
    </message>
    <message>
        <source>Preset message</source>
        <translation>预设消息</translation>
    </message>
    <message>
        <source>Saved the preset “{name}”.</source>
        <translation>已保存预设“{name}”。</translation>
    </message>
    <message>
        <source>Deleted the preset “{name}”.</source>
        <translation>已删除预设“{name}”。</translation>
    </message>
</context>
<context>
    <name>PricesPage</name>
    <message>
        <source>Model (or prefix*)</source>
        <translation>模型（或前缀*）</translation>
    </message>
    <message>
        <source>Input $/M tokens</source>
        <translation>输入 $/百万 Token</translation>
    </message>
    <message>
        <source>Output $/M tokens</source>
        <translation>输出 $/百万 Token</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Costs are estimates from this table (US dollars per million tokens). Check your provider's price page; servers on your own machine cost nothing.</source>
        <translation>费用按此表估算（美元/每百万 Token），请以服务商的价格页面为准；运行在本机上的服务器不产生费用。</translation>
    </message>
    <message>
        <source>A price needs a model name and two numbers of 0 or more.</source>
        <translation>价格需要填写模型名称和两个不小于 0 的数字。</translation>
    </message>
</context>
<context>
    <name>PromptFormatControl</name>
    <message>
        <source>Prompt format</source>
        <extracomment>lines of the template box</extracomment>
        <translation>提示词格式</translation>
    </message>
    <message>
        <source>How a conversation is written out for the model. Automatic uses the file's own chat template, or a format chosen from the file when it has none.</source>
        <translation>对话以何种格式交给模型。“自动”会使用文件自带的对话模板；文件没有模板时，根据文件内容选择一种格式。</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Custom template</source>
        <translation>自定义模板</translation>
    </message>
    <message>
        <source>Custom chat template</source>
        <translation>自定义对话模板</translation>
    </message>
    <message>
        <source>Paste a Jinja chat template, e.g. from the model's tokenizer_config.json</source>
        <translation>粘贴 Jinja 对话模板，例如模型的 tokenizer_config.json 中的模板</translation>
    </message>
    <message>
        <source>Prompt format in use</source>
        <translation>正在使用的提示词格式</translation>
    </message>
    <message>
        <source>In use: {format}</source>
        <translation>正在使用：{format}</translation>
    </message>
    <message>
        <source>After loading again: {format}</source>
        <translation>重新加载后：{format}</translation>
    </message>
    <message>
        <source>When loaded: {format}</source>
        <translation>加载后：{format}</translation>
    </message>
    <message>
        <source>the file's own chat template.</source>
        <translation>文件自带的对话模板。</translation>
    </message>
    <message>
        <source>{name} format, as chosen.</source>
        <translation>{name} 格式（手动选择）。</translation>
    </message>
    <message>
        <source>your own template.</source>
        <translation>你的自定义模板。</translation>
    </message>
    <message>
        <source>{name} format, chosen from the model's vocabulary (the file has no chat template).</source>
        <translation>{name} 格式，根据模型的词表选择（文件中没有对话模板）。</translation>
    </message>
    <message>
        <source>{name} format, chosen from the model's architecture (the file has no chat template).</source>
        <translation>{name} 格式，根据模型的架构选择（文件中没有对话模板）。</translation>
    </message>
    <message>
        <source>{name} format, chosen from the model's name (the file has no chat template).</source>
        <translation>{name} 格式，根据模型的名称选择（文件中没有对话模板）。</translation>
    </message>
    <message>
        <source>{name} format: the file has no chat template and nothing in it names a format. If replies are empty or odd, pick the model's format here.</source>
        <translation>{name} 格式：文件中没有对话模板，也没有任何信息指明格式。如果回复为空或内容古怪，请在这里选择模型对应的格式。</translation>
    </message>
</context>
<context>
    <name>PromptSetsView</name>
    <message>
        <source>Prompt sets</source>
        <translation>提示词集</translation>
    </message>
    <message>
        <source>New prompt set</source>
        <translation>新建提示词集</translation>
    </message>
    <message>
        <source>e.g. Coding questions</source>
        <translation>例如：编程问题</translation>
    </message>
    <message>
        <source>e.g. coding, Chinese (comma-separated)</source>
        <translation>例如：编程, 中文（用逗号分隔）</translation>
    </message>
    <message>
        <source>One prompt per line.

For prompts longer than a line, put a line with only --- between prompts.</source>
        <translation>每行一个提示词。

如果提示词超过一行，请在提示词之间单独放一行 ---。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Run…</source>
        <translation>运行…</translation>
    </message>
    <message>
        <source>Choose the models, then every prompt is sent to each of them in turn.</source>
        <translation>选择模型后，每个提示词会依次发送给所有模型。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Delete the prompt set “{name}”? Runs already made are kept.</source>
        <translation>删除提示词集“{name}”？已完成的运行会保留。</translation>
    </message>
    <message>
        <source>Something went wrong; the log file has the details.</source>
        <translation>出了点问题，详情请查看日志文件。</translation>
    </message>
    <message>
        <source>1 prompt</source>
        <translation>1 个提示词</translation>
    </message>
    <message numerus="yes">
        <source>%n prompts</source>
        <translation><numerusform>%n 个提示词</numerusform></translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Delete prompt set</source>
        <translation>删除提示词集</translation>
    </message>
</context>
<context>
    <name>ProvidersPage</name>
    <message>
        <source>Providers</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Provider name</source>
        <translation>服务商名称</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>接口地址 (Base URL)</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Paste a new key to save or replace it</source>
        <translation>粘贴新的 API 密钥以保存或替换</translation>
    </message>
    <message>
        <source>Save key</source>
        <translation>保存密钥</translation>
    </message>
    <message>
        <source>Delete key</source>
        <translation>删除密钥</translation>
    </message>
    <message>
        <source>Keep the key in a file in Workbench's data folder, readable only by you</source>
        <translation>将 API 密钥保存在 Workbench 数据文件夹中的文件里（仅你本人可读）</translation>
    </message>
    <message>
        <source>Without this, the key is used until you close Workbench. With it, the key stays after a restart; the file is protected only by its permissions, so any program you run can read it.</source>
        <translation>不勾选时，API 密钥只在关闭 Workbench 之前有效。勾选后，重新启动也会保留；但该文件只受文件权限保护，你运行的任何程序都能读取它。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Remove provider</source>
        <translation>删除服务商</translation>
    </message>
    <message>
        <source>Remove {name} and delete its key? Your chats stay.</source>
        <translation>要删除 {name} 及其 API 密钥吗？你的对话会保留。</translation>
    </message>
    <message>
        <source>Add a provider to chat with a cloud model.</source>
        <translation>添加一个服务商，即可与云端模型对话。</translation>
    </message>
    <message>
        <source>Get a key: &lt;a href='{url}'&gt;{url}&lt;/a&gt;</source>
        <translation>获取 API 密钥：&lt;a href='{url}'&gt;{url}&lt;/a&gt;</translation>
    </message>
    <message>
        <source>A key is saved in the system keychain.</source>
        <translation>API 密钥已保存在系统钥匙串中。</translation>
    </message>
    <message>
        <source>A key is saved in Workbench's key file.</source>
        <translation>API 密钥已保存在 Workbench 的密钥文件中。</translation>
    </message>
    <message>
        <source>A key is in use until you close Workbench; it is not saved.</source>
        <translation>API 密钥在关闭 Workbench 之前有效，不会被保存。</translation>
    </message>
    <message>
        <source>The key comes from {env} in the environment.</source>
        <translation>API 密钥来自环境变量 {env}。</translation>
    </message>
    <message>
        <source>the environment</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>A server on your own machine usually needs no key.</source>
        <translation>运行在本机上的服务器通常不需要 API 密钥。</translation>
    </message>
    <message>
        <source>No key yet.</source>
        <translation>还没有 API 密钥。</translation>
    </message>
    <message>
        <source>This computer has no system keychain, the protected place where programs keep passwords. You can still paste the key above, or set {env} before you start Workbench.</source>
        <translation>本机没有系统钥匙串（程序安全存放密码的地方）。你仍可以在上方粘贴 API 密钥，或在启动 Workbench 之前设置 {env}。</translation>
    </message>
    <message>
        <source>This computer has no system keychain, the protected place where programs keep passwords. You can still paste the key above.</source>
        <translation>本机没有系统钥匙串（程序安全存放密码的地方）。你仍可以在上方粘贴 API 密钥。</translation>
    </message>
    <message>
        <source>Paste a key first.</source>
        <translation>请先粘贴 API 密钥。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>ReplyRunner</name>
    <message>
        <source>The reply stopped because of an internal error: {error}</source>
        <translation>回复因内部错误而中止：{error}</translation>
    </message>
    <message>
        <source>The reply ended without a result.</source>
        <translation>回复结束，但没有结果。</translation>
    </message>
</context>
<context>
    <name>RequestLogModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>接口</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Waited</source>
        <translation>排队</translation>
    </message>
    <message>
        <source>Prompt tokens → reply tokens</source>
        <translation>提示词 Token → 回复 Token</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
</context>
<context>
    <name>ReviewTab</name>
    <message>
        <source>Double-click a row to see its answers in full and vote on them.</source>
        <translation>双击某一行可查看完整回复并投票。</translation>
    </message>
</context>
<context>
    <name>ReviewTableModel</name>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Vote</source>
        <translation>投票</translation>
    </message>
    <message>
        <source>Answer {number}</source>
        <translation>回复 {number}</translation>
    </message>
    <message>
        <source>(no answer)</source>
        <translation>（无回复）</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <source>{label}: {answer}</source>
        <translation>{label}：{answer}</translation>
    </message>
    <message>
        <source>not voted</source>
        <translation>未投票</translation>
    </message>
    <message>
        <source>tie</source>
        <translation>平局</translation>
    </message>
    <message>
        <source>all bad</source>
        <translation>都不好</translation>
    </message>
    <message>
        <source>best: {model}</source>
        <translation>最佳：{model}</translation>
    </message>
</context>
<context>
    <name>ServerController</name>
    <message>
        <source>The key could not be saved; the details are in the log file.</source>
        <extracomment>The keychain entry of the server's API key (service "Workbench"). The most requests the log keeps on screen; older ones are dropped. "stopped", "starting", "running" or "stopping". Why the last start failed (one sentence), or None. "keychain", "session" (no keychain: kept until Workbench closes) or None.</extracomment>
        <translation>无法保存密钥，详情见日志文件。</translation>
    </message>
    <message>
        <source>The server did not start because of an internal error: {error}</source>
        <translation>服务器因内部错误未能启动：{error}</translation>
    </message>
    <message>
        <source>The local server did not start: {reason}</source>
        <translation>本地服务器未能启动：{reason}</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Serving {model} at {url}</source>
        <translation>正在提供 {model}，地址：{url}</translation>
    </message>
    <message>
        <source>Listening at {url}; {model} is loading, and requests wait for it.</source>
        <translation>正在 {url} 监听；{model} 正在加载，请求会等待它加载完成。</translation>
    </message>
    <message numerus="yes">
        <source>Serving %n cloud model(s) at {url}; load a model in the chat to serve it too.</source>
        <translation><numerusform>正在 {url} 提供 %n 个云端模型；在对话页加载一个本地模型即可一并提供。</numerusform></translation>
    </message>
    <message>
        <source>Listening at {url}. No model loaded: load one in the chat; requests get an error until then.</source>
        <translation>正在 {url} 监听。尚未加载模型：请在对话页加载一个；在此之前，请求会收到错误。</translation>
    </message>
</context>
<context>
    <name>ServerPage</name>
    <message>
        <source>Copy address</source>
        <translation>复制地址</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>This computer only ({address})</source>
        <translation>仅本机（{address}）</translation>
    </message>
    <message>
        <source>The network: other computers can connect with the API key</source>
        <translation>网络：其他电脑可凭 API 密钥连接</translation>
    </message>
    <message>
        <source>API key of the server</source>
        <translation>服务器的 API 密钥</translation>
    </message>
    <message>
        <source>Generate a key, or type your own</source>
        <translation>生成一个密钥，或输入自己的密钥</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Allowed web origins (CORS)</source>
        <translation>允许的网页来源（CORS）</translation>
    </message>
    <message>
        <source>Also offer my cloud models, as provider/model (their keys stay in Workbench)</source>
        <translation>同时提供我的云端模型，名称为“服务商/模型”（它们的密钥只留在 Workbench 内）</translation>
    </message>
    <message>
        <source>Listen on</source>
        <translation>监听</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Web pages allowed</source>
        <translation>允许的网页</translation>
    </message>
    <message>
        <source>Web pages at these addresses (comma-separated) may call the server from a browser; leave it empty to allow none.</source>
        <translation>这些地址（用逗号分隔）上的网页可以在浏览器中调用服务器；留空则不允许任何网页。</translation>
    </message>
    <message>
        <source>Settings (stop the server to change them)</source>
        <translation>设置（停止服务器后才能更改）</translation>
    </message>
    <message>
        <source>Start the server with Workbench</source>
        <translation>启动 Workbench 时同时启动服务器</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>启动</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Other computers reach it at: {addresses}</source>
        <translation>其他电脑可通过以下地址访问：{addresses}</translation>
    </message>
    <message>
        <source>This computer has no network address that others can reach.</source>
        <translation>本机没有其他电脑可以访问的网络地址。</translation>
    </message>
    <message>
        <source>This computer has no system keychain, so the key is kept until you close Workbench.</source>
        <translation>本机没有系统钥匙串，因此密钥只保留到关闭 Workbench 为止。</translation>
    </message>
    <message>
        <source>Saved in the system keychain. Clients send it as their API key when the server listens on the network.</source>
        <translation>已保存在系统钥匙串中。服务器在网络上监听时，客户端须把它作为 API 密钥发送。</translation>
    </message>
    <message>
        <source>Listening on the network needs a key.</source>
        <translation>在网络上监听需要密钥。</translation>
    </message>
    <message>
        <source>Needed only when the server listens on the network.</source>
        <translation>仅在服务器于网络上监听时需要。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>The key is copied.</source>
        <translation>密钥已复制。</translation>
    </message>
</context>
<context>
    <name>SessionListModel</name>
    <message>
        <source>{title} (blind, prompt set)</source>
        <translation>{title}（盲测，提示词集）</translation>
    </message>
    <message>
        <source>{title} (blind)</source>
        <translation>{title}（盲测）</translation>
    </message>
    <message>
        <source>{title} (prompt set)</source>
        <translation>{title}（提示词集）</translation>
    </message>
</context>
<context>
    <name>SessionSidebar</name>
    <message>
        <source>Comparisons</source>
        <translation>对比列表</translation>
    </message>
    <message>
        <source>New comparison</source>
        <translation>新对比</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Providers</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Local server</source>
        <translation>本地服务器</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>本机信息</translation>
    </message>
    <message>
        <source>Hugging Face Hub</source>
        <translation>Hugging Face Hub</translation>
    </message>
    <message>
        <source>huggingface.co (default)</source>
        <translation>huggingface.co（默认）</translation>
    </message>
    <message>
        <source>hf-mirror.com — a mirror that is reachable from mainland China</source>
        <translation>hf-mirror.com：中国大陆可访问的镜像站</translation>
    </message>
    <message>
        <source>Another address:</source>
        <translation>其他地址：</translation>
    </message>
    <message>
        <source>Hub address</source>
        <translation>Hub 地址</translation>
    </message>
    <message>
        <source>Also send my access token to addresses other than huggingface.co</source>
        <translation>向 huggingface.co 以外的地址也发送我的访问令牌</translation>
    </message>
    <message>
        <source>Access token (for gated and private models)</source>
        <translation>访问令牌（用于受限模型和私有模型）</translation>
    </message>
    <message>
        <source>Hugging Face access token</source>
        <translation>Hugging Face 访问令牌</translation>
    </message>
    <message>
        <source>Save token</source>
        <translation>保存令牌</translation>
    </message>
    <message>
        <source>Delete token</source>
        <translation>删除令牌</translation>
    </message>
    <message>
        <source>Models folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Downloads go here; files already in it are listed in the Library.</source>
        <translation>下载的模型保存在这里，其中已有的文件会显示在模型库中。</translation>
    </message>
    <message>
        <source>At start</source>
        <translation>启动时</translation>
    </message>
    <message>
        <source>Load the last model at start</source>
        <translation>启动时加载上次使用的模型</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>HF_ENDPOINT is set to {env}; it is used until you choose an address here.</source>
        <translation>HF_ENDPOINT 已设置为 {env}；在这里选择地址之前，将使用该地址。</translation>
    </message>
    <message>
        <source>Paste a token first.</source>
        <translation>请先粘贴访问令牌。</translation>
    </message>
    <message>
        <source>Saving in the system keychain…</source>
        <translation>正在保存到系统钥匙串…</translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation>正在删除…</translation>
    </message>
    <message>
        <source>HF_TOKEN from the environment is used.</source>
        <translation>正在使用环境变量中的 HF_TOKEN。</translation>
    </message>
    <message>
        <source>No system keychain is available on this computer, so Workbench cannot keep a token; set HF_TOKEN in the environment instead.</source>
        <translation>本机没有可用的系统钥匙串，Workbench 无法保存访问令牌；请改为在环境变量中设置 HF_TOKEN。</translation>
    </message>
    <message>
        <source>A token is saved in the system keychain.</source>
        <translation>访问令牌已保存在系统钥匙串中。</translation>
    </message>
    <message>
        <source>No token: public models only. Create one on the Hub under Settings → Access Tokens.</source>
        <translation>没有访问令牌：只能下载公开模型。可在 Hub 的 Settings → Access Tokens 中创建。</translation>
    </message>
    <message>
        <source>The models folder cannot be created: {reason}</source>
        <translation>无法创建模型文件夹：{reason}</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>New chat</source>
        <extracomment>How long the undo bar stays, in seconds (tests shorten it).</extracomment>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Search chats</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <source>Clear search</source>
        <translation>清除搜索</translation>
    </message>
    <message>
        <source>No chats match</source>
        <translation>没有匹配的对话</translation>
    </message>
    <message>
        <source>Chats</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Deleted chat</source>
        <translation>已删除的对话</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Undo delete</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Deleted “{title}”.</source>
        <translation>已删除“{title}”。</translation>
    </message>
    <message>
        <source>This chat can no longer be restored.</source>
        <translation>此对话已无法恢复。</translation>
    </message>
    <message>
        <source>Chat actions</source>
        <translation>对话操作</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Imported from ChatGPT on {date}</source>
        <translation>于 {date} 从 ChatGPT 导入</translation>
    </message>
    <message>
        <source>Imported from a Workbench export on {date}</source>
        <translation>于 {date} 从 Workbench 导出文件导入</translation>
    </message>
</context>
<context>
    <name>SourcePanel</name>
    <message>
        <source>Where replies come from</source>
        <translation>回复来源</translation>
    </message>
    <message>
        <source>Chat with</source>
        <translation>对话对象</translation>
    </message>
    <message>
        <source>Cloud model</source>
        <translation>云端模型</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Choose or type a model ID</source>
        <translation>选择或输入模型 ID</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Ask the provider for its list of models</source>
        <translation>向服务商获取模型列表</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Connection status</source>
        <translation>连接状态</translation>
    </message>
    <message>
        <source>This computer (local model)</source>
        <translation>本机（本地模型）</translation>
    </message>
    <message>
        <source>Add a provider…</source>
        <translation>添加服务商…</translation>
    </message>
    <message>
        <source>Asking for the list of models…</source>
        <translation>正在获取模型列表……</translation>
    </message>
    <message>
        <source>{n} models available.</source>
        <translation>共有 {n} 个可用模型。</translation>
    </message>
    <message>
        <source>The provider listed no models; type the model ID.</source>
        <translation>服务商没有列出任何模型，请输入模型 ID。</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试……</translation>
    </message>
    <message>
        <source>&lt;a href='settings'&gt;Settings&lt;/a&gt;</source>
        <translation>&lt;a href='settings'&gt;设置&lt;/a&gt;</translation>
    </message>
    <message>
        <source>Key: in the system keychain ({link}).</source>
        <translation>密钥：保存在系统钥匙串中（{link}）。</translation>
    </message>
    <message>
        <source>Key: from the environment, for this session ({link}).</source>
        <translation>密钥：来自环境变量，仅用于本次会话（{link}）。</translation>
    </message>
    <message>
        <source>Key: in Workbench's key file ({link}).</source>
        <translation>密钥：保存在 Workbench 的密钥文件中（{link}）。</translation>
    </message>
    <message>
        <source>Key: in use until you close Workbench, not saved ({link}).</source>
        <translation>密钥：在关闭 Workbench 前有效，不会保存（{link}）。</translation>
    </message>
    <message>
        <source>No key needed for a server on your own machine ({link}).</source>
        <translation>本机上的服务器不需要密钥（{link}）。</translation>
    </message>
    <message>
        <source>Reading the key…</source>
        <translation>正在读取密钥……</translation>
    </message>
    <message>
        <source>No key yet: add it in {link}.</source>
        <translation>还没有密钥：请在{link}中添加。</translation>
    </message>
    <message>
        <source>Something went wrong while talking to the provider; the details are in the log file.</source>
        <translation>与服务商通信时出错，详情见日志文件。</translation>
    </message>
</context>
<context>
    <name>StandingsModel</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>95 % interval</source>
        <translation>95% 区间</translation>
    </message>
    <message>
        <source>Wins</source>
        <translation>胜</translation>
    </message>
    <message>
        <source>Losses</source>
        <translation>负</translation>
    </message>
    <message>
        <source>Ties</source>
        <translation>平</translation>
    </message>
    <message>
        <source>Games</source>
        <translation>对局</translation>
    </message>
    <message>
        <source>Where the rating lies with 95 % confidence: the ratings were refitted on votes resampled at random, and this range holds 95 % of them. A wide range means more votes are needed.</source>
        <translation>评分有 95% 的把握落在此区间内：对随机重抽样的投票多次重新拟合评分，95% 的结果都在这个范围内。区间越宽，说明还需要更多投票。</translation>
    </message>
    <message>
        <source>Bradley–Terry rating on the Elo scale: 100 points ahead means about a 64 % chance to win.</source>
        <translation>Bradley–Terry 评分，按 Elo 分制显示：领先 100 分意味着约 64% 的胜率。</translation>
    </message>
    <message>
        <source>Ties, including answers judged all bad.</source>
        <translation>平局，包括被评为“都不好”的回复。</translation>
    </message>
    <message>
        <source>Pairwise games: a best answer among four counts as three wins.</source>
        <translation>两两对局数：四个回复中的最佳回复计为三胜。</translation>
    </message>
    <message>
        <source>{low} – {high}</source>
        <translation>{low}–{high}</translation>
    </message>
    <message>
        <source>Judged in 1 vote</source>
        <translation>参与了 1 次投票</translation>
    </message>
    <message>
        <source>Judged in {count} votes</source>
        <translation>参与了 {count} 次投票</translation>
    </message>
</context>
<context>
    <name>StarterFinder</name>
    <message>
        <source>Finding a model failed unexpectedly; the details are in the log file.</source>
        <extracomment>Set to "0" to start on the chat page whatever the rule says (automation, tests). The window-state key that remembers the welcome page is done with.</extracomment>
        <translation>查找模型时意外出错，详细信息已写入日志文件。</translation>
    </message>
</context>
<context>
    <name>TargetLabels</name>
    <message>
        <source>{path} on this computer</source>
        <translation>本机上的 {path}</translation>
    </message>
</context>
<context>
    <name>TargetRow</name>
    <message>
        <source>This computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Maximum reply length (tokens)</source>
        <translation>最大回复长度（Token）</translation>
    </message>
    <message>
        <source>More…</source>
        <translation>更多…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>Choose a model file</source>
        <translation>选择模型文件</translation>
    </message>
    <message>
        <source>Model ID, e.g. gpt-4o-mini</source>
        <translation>模型 ID，例如 gpt-4o-mini</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
</context>
<context>
    <name>TargetSettingsDialog</name>
    <message>
        <source>Target settings</source>
        <translation>模型设置</translation>
    </message>
    <message>
        <source>Optional instructions sent before every prompt</source>
        <translation>可选：在每个提示词之前发送的指令</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
</context>
<context>
    <name>VoteBar</name>
    <message>
        <source>Which answer is better?</source>
        <translation>哪个回复更好？</translation>
    </message>
    <message>
        <source>Tie</source>
        <translation>平局</translation>
    </message>
    <message>
        <source>Both bad</source>
        <translation>都不好</translation>
    </message>
    <message>
        <source>{letter} is better</source>
        <translation>{letter} 更好</translation>
    </message>
    <message>
        <source>{letter} is best</source>
        <translation>{letter} 最好</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>{letter} was {name}</source>
        <translation>{letter} 是 {name}</translation>
    </message>
    <message>
        <source>You chose {letter}.</source>
        <translation>你选择了 {letter}。</translation>
    </message>
    <message>
        <source>{verdict} {who}.</source>
        <translation>{verdict}{who}。</translation>
    </message>
    <message>
        <source>All bad</source>
        <translation>都不好</translation>
    </message>
    <message>
        <source>Which answer is best?</source>
        <translation>哪个回复最好？</translation>
    </message>
    <message>
        <source>You called it a tie.</source>
        <translation>你判定为平局。</translation>
    </message>
    <message>
        <source>You found them all bad.</source>
        <translation>你认为它们都不好。</translation>
    </message>
</context>
<context>
    <name>WelcomeFlow</name>
    <message>
        <source>Hello! What can you help me with? Please answer in two sentences.</source>
        <translation>你好！你能帮我做些什么？请用两句话回答。</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>German</source>
        <translation>德语</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英语</translation>
    </message>
    <message>
        <source>Spanish</source>
        <translation>西班牙语</translation>
    </message>
    <message>
        <source>French</source>
        <translation>法语</translation>
    </message>
    <message>
        <source>Hindi</source>
        <translation>印地语</translation>
    </message>
    <message>
        <source>Italian</source>
        <translation>意大利语</translation>
    </message>
    <message>
        <source>Japanese</source>
        <translation>日语</translation>
    </message>
    <message>
        <source>Korean</source>
        <translation>韩语</translation>
    </message>
    <message>
        <source>Portuguese</source>
        <translation>葡萄牙语</translation>
    </message>
    <message>
        <source>Russian</source>
        <translation>俄语</translation>
    </message>
    <message>
        <source>Thai</source>
        <translation>泰语</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>Welcome to Workbench</source>
        <translation>欢迎使用 Workbench</translation>
    </message>
    <message>
        <source>Chat with AI models on this computer or through a cloud service.</source>
        <translation>在本机或通过云端服务与 AI 模型对话。</translation>
    </message>
    <message>
        <source>Run a model on this computer</source>
        <translation>在本机运行模型</translation>
    </message>
    <message>
        <source>Free and private: we pick a model that fits and download it for you.</source>
        <translation>免费且保护隐私：我们会为你挑选一个能在本机运行的模型并自动下载。</translation>
    </message>
    <message>
        <source>Use a cloud service</source>
        <translation>使用云端服务</translation>
    </message>
    <message>
        <source>OpenAI, DeepSeek, Qwen or any compatible service, with your API key.</source>
        <translation>OpenAI、DeepSeek、Qwen 或任何兼容的服务，使用你自己的 API 密钥。</translation>
    </message>
    <message>
        <source>I already have a model file</source>
        <translation>我已经有模型文件</translation>
    </message>
    <message>
        <source>Open a .gguf file from this computer.</source>
        <translation>打开本机上的 .gguf 文件。</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Skip the welcome page</source>
        <translation>跳过欢迎页</translation>
    </message>
    <message>
        <source>Download progress</source>
        <translation>下载进度</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Download and chat</source>
        <translation>下载并开始对话</translation>
    </message>
    <message>
        <source>Open a model file</source>
        <translation>打开模型文件</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
    <message>
        <source>Looking at this computer…</source>
        <translation>正在查看本机配置…</translation>
    </message>
    <message>
        <source>Finding a model that fits and a Hub address that answers…</source>
        <translation>正在查找适合本机的模型和可访问的 Hub 地址…</translation>
    </message>
    <message>
        <source>Trying again…</source>
        <translation>正在重试…</translation>
    </message>
    <message>
        <source>This computer: {line}</source>
        <translation>本机：{line}</translation>
    </message>
    <message>
        <source>No model in the catalogue fits this computer; you can still search the Hub or use a cloud service.</source>
        <translation>模型目录中没有适合本机的模型；你仍然可以在 Hub 上搜索，或使用云端服务。</translation>
    </message>
    <message>
        <source>Recommended</source>
        <translation>推荐</translation>
    </message>
    <message>
        <source>Smaller</source>
        <translation>更小</translation>
    </message>
    <message>
        <source>Larger</source>
        <translation>更大</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>runs on the graphics card</source>
        <translation>在显卡上运行</translation>
    </message>
    <message>
        <source>partly on the graphics card</source>
        <translation>部分在显卡上运行</translation>
    </message>
    <message>
        <source>runs on the processor</source>
        <translation>在 CPU 上运行</translation>
    </message>
    <message>
        <source>may not fit</source>
        <translation>可能无法运行</translation>
    </message>
    <message>
        <source>{kind}: {name} — {size}, {fit}
languages: {languages} · licence: {licence}</source>
        <translation>{kind}：{name} — {size}，{fit}
语言：{languages} · 许可证：{licence}</translation>
    </message>
    <message>
        <source>Models come from {host} (&lt;a href='settings'&gt;change&lt;/a&gt;)</source>
        <translation>模型来自 {host}（&lt;a href='settings'&gt;更改&lt;/a&gt;）</translation>
    </message>
    <message>
        <source>Downloading {name}…</source>
        <translation>正在下载 {name}…</translation>
    </message>
    <message>
        <source>The download failed.</source>
        <translation>下载失败。</translation>
    </message>
    <message>
        <source>Checking the download…</source>
        <translation>正在校验下载的文件…</translation>
    </message>
    <message>
        <source>Downloading: {done} of {total}</source>
        <translation>正在下载：{done} / {total}</translation>
    </message>
    <message>
        <source>Downloaded; opening the chat…</source>
        <translation>下载完成，正在打开对话…</translation>
    </message>
</context>
<context>
    <name>argparse</name>
    <message>
        <source>usage: </source>
        <translation>用法：</translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>位置参数</translation>
    </message>
    <message>
        <source>options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>%(heading)s:</source>
        <translation>%(heading)s：</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>显示此帮助信息并退出</translation>
    </message>
    <message>
        <source>show program's version number and exit</source>
        <translation>显示程序的版本号并退出</translation>
    </message>
    <message>
        <source>argument %(argument_name)s: %(message)s</source>
        <translation>参数 %(argument_name)s：%(message)s</translation>
    </message>
    <message>
        <source>unrecognized arguments: %s</source>
        <translation>无法识别的参数：%s</translation>
    </message>
    <message>
        <source>the following arguments are required: %s</source>
        <translation>缺少必需的参数：%s</translation>
    </message>
    <message>
        <source>ignored explicit argument %r</source>
        <translation>不接受参数值 %r</translation>
    </message>
    <message>
        <source>expected one argument</source>
        <translation>需要一个参数值</translation>
    </message>
    <message>
        <source>expected at most one argument</source>
        <translation>最多只能有一个参数值</translation>
    </message>
    <message>
        <source>expected at least one argument</source>
        <translation>至少需要一个参数值</translation>
    </message>
    <message>
        <source>expected %s argument</source>
        <translation>需要 %s 个参数值</translation>
    </message>
    <message>
        <source>expected %s arguments</source>
        <translation>需要 %s 个参数值</translation>
    </message>
    <message>
        <source>ambiguous option: %(option)s could match %(matches)s</source>
        <translation>选项有歧义：%(option)s 可以匹配 %(matches)s</translation>
    </message>
    <message>
        <source>unexpected option string: %s</source>
        <translation>意外的选项：%s</translation>
    </message>
    <message>
        <source>invalid %(type)s value: %(value)r</source>
        <translation>无效的 %(type)s 值：%(value)r</translation>
    </message>
    <message>
        <source>invalid choice: %(value)r (choose from %(choices)s)</source>
        <translation>无效的选择：%(value)r（可选：%(choices)s）</translation>
    </message>
    <message>
        <source>unknown parser %(parser_name)r (choices: %(choices)s)</source>
        <translation>未知的子命令 %(parser_name)r（可选：%(choices)s）</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>{message} (see '{prog} --help')</source>
        <translation>{message}（详见“{prog} --help”）</translation>
    </message>
    <message>
        <source>Chat with local GGUF models and OpenAI-compatible services.</source>
        <translation>与本地 GGUF 模型以及兼容 OpenAI 接口的服务对话。</translation>
    </message>
    <message>
        <source>the language of the command line: {languages} (default: the system's)</source>
        <translation>命令行使用的语言：{languages}（默认跟随系统）</translation>
    </message>
    <message>
        <source>keep all data (settings, chats, models, logs) in DIR</source>
        <translation>把所有数据（设置、对话、模型、日志）保存在 DIR 中</translation>
    </message>
    <message>
        <source>open the window with this GGUF model selected</source>
        <translation>打开窗口并选中这个 GGUF 模型</translation>
    </message>
    <message>
        <source>log details to stderr too</source>
        <translation>同时把详细日志输出到 stderr</translation>
    </message>
    <message>
        <source>check this installation (window, llama.cpp build, keychain; with --model, a short generation) and print a JSON report</source>
        <translation>检查本次安装（窗口、llama.cpp 构建、系统钥匙串；加上 --model 时再做一次简短的生成），并输出 JSON 报告</translation>
    </message>
    <message>
        <source>unexpected problem: {problem} (details are in the log file)</source>
        <translation>意外问题：{problem}（详情见日志文件）</translation>
    </message>
</context>
<context>
    <name>cli.chat</name>
    <message>
        <source>ask a model and stream the answer to stdout</source>
        <translation>向模型提问，并把回复逐字输出到 stdout</translation>
    </message>
    <message>
        <source>Ask a local GGUF model, or with --provider a cloud or server model, and print the answer as it comes. The chat is kept in the history unless --no-save.</source>
        <translation>向本地 GGUF 模型提问（加上 --provider 时向云端或服务器上的模型提问），回复一边生成一边输出。除非使用 --no-save，对话会保存到历史记录中。</translation>
    </message>
    <message>
        <source>GGUF file (with --provider: the model ID)</source>
        <translation>GGUF 文件（使用 --provider 时为模型 ID）</translation>
    </message>
    <message>
        <source>the question (read from stdin when absent)</source>
        <translation>要问的问题（省略时从 stdin 读取）</translation>
    </message>
    <message>
        <source>system prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>print &lt;think&gt; text on stderr</source>
        <translation>把 &lt;think&gt; 中的思考内容输出到 stderr</translation>
    </message>
    <message>
        <source>do not keep this chat in the history</source>
        <translation>不把这次对话保存到历史记录</translation>
    </message>
    <message>
        <source>print a JSON line of figures on stderr</source>
        <translation>在 stderr 输出一行 JSON 格式的统计数据</translation>
    </message>
    <message>
        <source>add to a saved chat instead of starting one: the latest, or the one with this id</source>
        <translation>接着已保存的对话继续，而不是新建对话：默认为最近的对话，也可指定对话 ID</translation>
    </message>
    <message>
        <source>when the chat is longer than the model's context, leave out its oldest messages (local models; remembered with the chat)</source>
        <translation>对话超出模型的上下文长度时，略去最早的消息（仅限本地模型；该设置随对话保存）</translation>
    </message>
    <message>
        <source>chat with a cloud or server model: a configured provider or a preset (see 'workbench providers'); --model is then the model ID</source>
        <translation>与云端或服务器上的模型对话：填写已配置的服务商或预设（见“workbench providers”）；此时 --model 为模型 ID</translation>
    </message>
    <message>
        <source>the provider's address, e.g. http://localhost:8000/v1</source>
        <translation>服务商的接口地址，例如 http://localhost:8000/v1</translation>
    </message>
    <message>
        <source>--continue adds to a saved chat; leave out --no-save</source>
        <translation>--continue 会接着已保存的对话继续，请去掉 --no-save</translation>
    </message>
    <message>
        <source>there is no chat with id {id}</source>
        <translation>没有 ID 为 {id} 的对话</translation>
    </message>
    <message>
        <source>chat {id} is in the trash; restore it first</source>
        <translation>对话 {id} 在回收站中，请先恢复它</translation>
    </message>
    <message>
        <source>there is no saved chat to continue; leave out --continue</source>
        <translation>没有可以继续的已保存对话，请去掉 --continue</translation>
    </message>
    <message>
        <source>the model answered with nothing; its prompt format may not fit: try another with --chat-format NAME (see 'workbench chat --help')</source>
        <extracomment>A local reply that ends with no text at all: the commonest cause, and what to try.</extracomment>
        <translation>模型没有给出任何回复，可能是提示词格式不匹配：请用 --chat-format NAME 换一种格式试试（详见“workbench chat --help”）</translation>
    </message>
    <message>
        <source>add --drop-oldest to leave out the oldest messages of this chat</source>
        <translation>加上 --drop-oldest 可略去这次对话中最早的消息</translation>
    </message>
    <message>
        <source>a longer context (--ctx N) or a shorter prompt would fit</source>
        <translation>加大上下文长度（--ctx N）或缩短提示词即可放下</translation>
    </message>
    <message>
        <source>left out the oldest message of this chat to fit the model's context</source>
        <translation>为适应模型的上下文长度，略去了这次对话中最早的 1 条消息</translation>
    </message>
    <message>
        <source>left out the {count} oldest messages of this chat to fit the model's context</source>
        <translation>为适应模型的上下文长度，略去了这次对话中最早的 {count} 条消息</translation>
    </message>
    <message>
        <source>--base-url needs --provider (for example --provider custom) (see 'workbench chat --help')</source>
        <translation>--base-url 需要与 --provider 一起使用（例如 --provider custom）（详见“workbench chat --help”）</translation>
    </message>
    <message>
        <source>{option} applies to local models only, not with --provider (see 'workbench chat --help')</source>
        <translation>{option} 只适用于本地模型，不能与 --provider 一起使用（详见“workbench chat --help”）</translation>
    </message>
    <message>
        <source>the model ID is empty</source>
        <translation>模型 ID 为空</translation>
    </message>
</context>
<context>
    <name>cli.common</name>
    <message>
        <source>error: {message}</source>
        <translation>错误：{message}</translation>
    </message>
    <message>
        <source>warning: {message}</source>
        <translation>警告：{message}</translation>
    </message>
    <message>
        <source>note: {message}</source>
        <translation>提示：{message}</translation>
    </message>
    <message>
        <source>must be a positive whole number, not {value}</source>
        <translation>必须是正整数，而不是 {value}</translation>
    </message>
    <message>
        <source>must be auto or a whole number (-1 = all, 0 = none), not {value}</source>
        <translation>必须是 auto 或整数（-1 = 全部，0 = 不用 GPU），而不是 {value}</translation>
    </message>
    <message>
        <source>longest reply, in tokens</source>
        <translation>回复的最大长度（Token 数）</translation>
    </message>
    <message>
        <source>temperature: higher gives more varied answers (0 to 5)</source>
        <translation>温度：越高，回复越多样（0 到 5）</translation>
    </message>
    <message>
        <source>top-p sampling (0 to 1)</source>
        <translation>Top-P 采样（0 到 1）</translation>
    </message>
    <message>
        <source>top-k sampling</source>
        <translation>Top-K 采样</translation>
    </message>
    <message>
        <source>min-p sampling (0 to 1)</source>
        <translation>Min-P 采样（0 到 1）</translation>
    </message>
    <message>
        <source>repeat penalty (1 = none)</source>
        <translation>重复惩罚（1 = 不惩罚）</translation>
    </message>
    <message>
        <source>stop at TEXT (repeatable)</source>
        <translation>遇到 TEXT 时停止（可多次指定）</translation>
    </message>
    <message>
        <source>seed: the same seed gives the same answer</source>
        <translation>随机种子：相同的种子得到相同的回复</translation>
    </message>
    <message>
        <source>context length in tokens</source>
        <translation>上下文长度（Token 数）</translation>
    </message>
    <message>
        <source>layers on the GPU: auto (the default: as many as fit), -1 = all, 0 = none</source>
        <translation>GPU 层数：auto（默认，显存放得下多少层就放多少层），-1 = 全部，0 = 不用 GPU</translation>
    </message>
    <message>
        <source>CPU threads (default: chosen for this computer)</source>
        <translation>CPU 线程数（默认根据本机自动选择）</translation>
    </message>
    <message>
        <source>batch size, in tokens (default: 512)</source>
        <translation>批大小（Token 数，默认 512）</translation>
    </message>
    <message>
        <source>use flash attention</source>
        <translation>启用 Flash Attention</translation>
    </message>
    <message>
        <source>KV cache type: f16 (the default), q8_0, q4_0… (quantized ones need --flash-attn)</source>
        <translation>KV 缓存类型：f16（默认）、q8_0、q4_0…（量化类型需要 --flash-attn）</translation>
    </message>
    <message>
        <source>read the whole model into memory instead of mapping the file</source>
        <translation>把整个模型读入内存，而不是映射文件</translation>
    </message>
    <message>
        <source>keep the model in memory (never swapped out)</source>
        <translation>把模型锁定在内存中（不会被换出）</translation>
    </message>
    <message>
        <source>prompt format: auto (the file's chat template, or one chosen from the file) or one of {formats}</source>
        <translation>提示词格式：auto（使用文件自带的对话模板，或根据文件选择一种），或以下之一：{formats}</translation>
    </message>
    <message>
        <source>a Jinja chat template to use instead</source>
        <translation>改用的 Jinja 对话模板文件</translation>
    </message>
    <message>
        <source>give --chat-format or --chat-template, not both</source>
        <translation>--chat-format 和 --chat-template 只能二选一</translation>
    </message>
    <message>
        <source>it is not UTF-8 text</source>
        <translation>文件不是 UTF-8 文本</translation>
    </message>
    <message>
        <source>the chat template {path} cannot be read ({reason})</source>
        <translation>无法读取对话模板 {path}（{reason}）</translation>
    </message>
    <message>
        <source>no prompt: pass --prompt TEXT or pipe the question into stdin</source>
        <translation>没有提示词：请用 --prompt TEXT 给出问题，或通过管道把问题传入 stdin</translation>
    </message>
    <message>
        <source>the prompt is empty</source>
        <translation>提示词为空</translation>
    </message>
    <message>
        <source>{provider} needs --base-url URL (see 'workbench chat --help')</source>
        <translation>{provider} 需要用 --base-url URL 指定地址（详见“workbench chat --help”）</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
</context>
<context>
    <name>cli.compare</name>
    <message>
        <source>ask 2-4 models (local or cloud) the same question and compare the answers</source>
        <translation>向 2 到 4 个模型（本地或云端）提出同一个问题，并对比回复</translation>
    </message>
    <message>
        <source>Ask 2-4 models the same question at once and compare their answers. A target is local:PATH (a GGUF file) or PROVIDER:MODEL (a configured provider or a preset, see 'workbench providers').</source>
        <translation>同时向 2 到 4 个模型提出同一个问题，并对比它们的回复。目标写作 local:PATH（GGUF 文件）或 PROVIDER:MODEL（已配置的服务商或预设，见“workbench providers”）。</translation>
    </message>
    <message>
        <source>local:PATH or PROVIDER:MODEL (give it 2 to 4 times)</source>
        <translation>local:PATH 或 PROVIDER:MODEL（指定 2 到 4 次）</translation>
    </message>
    <message>
        <source>the question (read from stdin when absent)</source>
        <translation>要问的问题（省略时从 stdin 读取）</translation>
    </message>
    <message>
        <source>system prompt, sent to every target</source>
        <translation>系统提示词，发送给每个目标</translation>
    </message>
    <message>
        <source>print one JSON object</source>
        <translation>输出一个 JSON 对象</translation>
    </message>
    <message>
        <source>do not keep this comparison in the history</source>
        <translation>不把这次对比保存到历史记录</translation>
    </message>
    <message>
        <source>sampling (every target)</source>
        <translation>采样（所有目标）</translation>
    </message>
    <message>
        <source>loading (local targets)</source>
        <translation>加载（本地目标）</translation>
    </message>
    <message>
        <source>threads per model (default: the cores shared between models answering at once)</source>
        <translation>每个模型的线程数（默认：同时回答的模型平分 CPU 核心）</translation>
    </message>
    <message>
        <source>{problem} (see 'workbench compare --help')</source>
        <translation>{problem}（详见“workbench compare --help”）</translation>
    </message>
    <message>
        <source>{path} was not found; check the path.</source>
        <translation>找不到 {path}，请检查路径。</translation>
    </message>
    <message>
        <source>{option} applies to local models only, and no target is local (see 'workbench compare --help')</source>
        <translation>{option} 只适用于本地模型，但没有一个目标是本地模型（详见“workbench compare --help”）</translation>
    </message>
    <message>
        <source>the local models do not fit in memory together, so they answer one after another</source>
        <translation>这些本地模型无法同时装入内存，因此将依次回答</translation>
    </message>
    <message>
        <source>Comparison</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>(failed: {problem})</source>
        <translation>（失败：{problem}）</translation>
    </message>
    <message>
        <source>TARGET</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>FIRST TOKEN</source>
        <translation>首 Token 用时</translation>
    </message>
    <message>
        <source>TOK/S</source>
        <translation>Token/秒</translation>
    </message>
    <message>
        <source>TOKENS</source>
        <translation>Token 数</translation>
    </message>
    <message>
        <source>COST</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>failed: {problem}</source>
        <translation>失败：{problem}</translation>
    </message>
</context>
<context>
    <name>cli.exchange</name>
    <message>
        <source>save chats as Markdown or JSON files</source>
        <translation>将对话保存为 Markdown 或 JSON 文件</translation>
    </message>
    <message>
        <source>Save chats to a folder, one file per chat: Markdown (the thread shown, with the model and figures) or JSON (every version of every message, for import).</source>
        <translation>将对话保存到文件夹，每个对话一个文件：Markdown（当前显示的对话内容，附模型和统计数据）或 JSON（每条消息的所有版本，可用于导入）。</translation>
    </message>
    <message>
        <source>the chats to export, by id (see --list)</source>
        <translation>要导出的对话 ID（见 --list）</translation>
    </message>
    <message>
        <source>export every chat</source>
        <translation>导出全部对话</translation>
    </message>
    <message>
        <source>list the chats with their ids and export nothing</source>
        <translation>列出对话及其 ID，不导出</translation>
    </message>
    <message>
        <source>md (default) or json</source>
        <translation>md（默认）或 json</translation>
    </message>
    <message>
        <source>the folder to write to (created if needed)</source>
        <translation>要写入的文件夹（不存在时自动创建）</translation>
    </message>
    <message>
        <source>add chats from Workbench JSON or a ChatGPT export</source>
        <translation>从 Workbench JSON 或 ChatGPT 导出文件添加对话</translation>
    </message>
    <message>
        <source>Add chats from Workbench JSON files or ChatGPT's data export (conversations.json or the zip it comes in). Chats already imported are skipped.</source>
        <translation>从 Workbench JSON 文件或 ChatGPT 的数据导出（conversations.json 或包含它的 zip 文件）添加对话。已导入过的对话会被跳过。</translation>
    </message>
    <message>
        <source>the files to import</source>
        <translation>要导入的文件</translation>
    </message>
    <message>
        <source>give the ids of the chats to export, or --all</source>
        <translation>请给出要导出的对话 ID，或使用 --all</translation>
    </message>
    <message>
        <source>--out DIR is needed: the folder to write to</source>
        <translation>需要 --out DIR：要写入的文件夹</translation>
    </message>
    <message>
        <source>Exported 1 chat to {folder}.</source>
        <translation>已将 1 个对话导出到 {folder}。</translation>
    </message>
    <message>
        <source>Exported %n chats to {folder}.</source>
        <translation>已将 %n 个对话导出到 {folder}。</translation>
    </message>
    <message>
        <source>there is no chat with id {id}</source>
        <translation>没有 ID 为 {id} 的对话</translation>
    </message>
    <message>
        <source>Imported 1 chat from {file}.</source>
        <translation>已从 {file} 导入 1 个对话。</translation>
    </message>
    <message>
        <source>Imported %n chats from {file}.</source>
        <translation>已从 {file} 导入 %n 个对话。</translation>
    </message>
    <message>
        <source>Skipped 1 chat from {file} that was imported before.</source>
        <translation>已跳过 {file} 中 1 个之前导入过的对话。</translation>
    </message>
    <message>
        <source>Skipped %n chats from {file} that were imported before.</source>
        <translation>已跳过 {file} 中 %n 个之前导入过的对话。</translation>
    </message>
</context>
<context>
    <name>cli.hub</name>
    <message>
        <source>print JSON</source>
        <translation>输出 JSON</translation>
    </message>
    <message>
        <source>branch, tag or commit (default: main)</source>
        <translation>分支、标签或提交（默认：main）</translation>
    </message>
    <message>
        <source>context length for the fit, in tokens (default: 4096)</source>
        <translation>估算能否运行时所用的上下文长度（Token 数，默认 4096）</translation>
    </message>
    <message>
        <source>a Hub repository, e.g. Qwen/Qwen2.5-7B-Instruct-GGUF</source>
        <translation>Hub 上的仓库，例如 Qwen/Qwen2.5-7B-Instruct-GGUF</translation>
    </message>
    <message>
        <source>search the Hub for GGUF models</source>
        <translation>在 Hub 上搜索 GGUF 模型</translation>
    </message>
    <message>
        <source>words to look for</source>
        <translation>搜索关键词</translation>
    </message>
    <message>
        <source>order of the results (default: downloads)</source>
        <translation>结果的排序方式（默认：downloads）</translation>
    </message>
    <message>
        <source>show at most N models (default: 20)</source>
        <translation>最多显示 N 个模型（默认 20）</translation>
    </message>
    <message>
        <source>list a Hub repo's GGUF files, their sizes and fit</source>
        <translation>列出 Hub 仓库中的 GGUF 文件、大小以及能否在本机运行</translation>
    </message>
    <message>
        <source>KV cache type for the fit (default: f16)</source>
        <translation>估算时所用的 KV 缓存类型（默认 f16）</translation>
    </message>
    <message>
        <source>skip reading the model header</source>
        <translation>不读取模型文件头（不估算能否运行）</translation>
    </message>
    <message>
        <source>download a GGUF file (resumes; verifies)</source>
        <translation>下载 GGUF 文件（支持续传，下载后校验）</translation>
    </message>
    <message>
        <source>file in the repo (a split model's 1st part)</source>
        <translation>仓库中的文件（分片模型填第 1 个分片）</translation>
    </message>
    <message>
        <source>folder to put it in (default: the library)</source>
        <translation>保存到的文件夹（默认：模型库）</translation>
    </message>
    <message>
        <source>list the models in the library</source>
        <translation>列出模型库中的模型</translation>
    </message>
    <message>
        <source>Hub address (default: the app setting)</source>
        <translation>Hub 地址（默认：应用中的设置）</translation>
    </message>
    <message>
        <source>no GGUF models match</source>
        <translation>没有匹配的 GGUF 模型</translation>
    </message>
    <message>
        <source>REPO</source>
        <translation>仓库</translation>
    </message>
    <message>
        <source>DOWNLOADS</source>
        <translation>下载量</translation>
    </message>
    <message>
        <source>LIKES</source>
        <translation>点赞</translation>
    </message>
    <message>
        <source>UPDATED</source>
        <translation>更新日期</translation>
    </message>
    <message>
        <source>{date}  (gated)</source>
        <translation>{date}  （受限）</translation>
    </message>
    <message>
        <source>fit unknown: {problem}</source>
        <translation>无法估算能否运行：{problem}</translation>
    </message>
    <message>
        <source>no GGUF files in this repository</source>
        <translation>这个仓库中没有 GGUF 文件</translation>
    </message>
    <message>
        <source>QUANT</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>FILE</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>SIZE</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>FIT</source>
        <translation>能否运行</translation>
    </message>
    <message>
        <source>vision projector</source>
        <translation>视觉投影文件</translation>
    </message>
    <message>
        <source>fit for {tokens} tokens of context; e.g. {example}</source>
        <translation>按 {tokens} Token 的上下文估算；例如：{example}</translation>
    </message>
    <message>
        <source>{count} parameters</source>
        <translation>参数量 {count}</translation>
    </message>
    <message>
        <source>context {tokens}</source>
        <translation>上下文 {tokens}</translation>
    </message>
    <message>
        <source>licence {licence}</source>
        <translation>许可证 {licence}</translation>
    </message>
    <message>
        <source>licence not stated</source>
        <translation>未注明许可证</translation>
    </message>
    <message>
        <source>{count} downloads</source>
        <translation>下载量 {count}</translation>
    </message>
    <message>
        <source>gated</source>
        <translation>受限</translation>
    </message>
    <message>
        <source>waiting for another download of {name} to finish (Ctrl+C stops waiting)</source>
        <translation>正在等待 {name} 的另一个下载完成（按 Ctrl+C 停止等待）</translation>
    </message>
    <message>
        <source>{time} left</source>
        <translation>剩余 {time}</translation>
    </message>
    <message>
        <source>{name} [{bar}] {percent}% {done} / {total} {speed}/s {time_left}</source>
        <translation>{name} [{bar}] {percent}% {done} / {total} {speed}/秒 {time_left}</translation>
    </message>
    <message>
        <source>{repo} has no GGUF file {file} (files: {names})</source>
        <translation>{repo} 中没有 GGUF 文件 {file}（现有文件：{names}）</translation>
    </message>
    <message>
        <source>{repo} has no GGUF file {file} (it has none)</source>
        <translation>{repo} 中没有 GGUF 文件 {file}（这个仓库没有任何 GGUF 文件）</translation>
    </message>
    <message>
        <source>cannot use the folder {folder}: {reason}</source>
        <translation>无法使用文件夹 {folder}：{reason}</translation>
    </message>
    <message>
        <source>{path} was already downloaded</source>
        <translation>{path} 已经下载过了</translation>
    </message>
    <message>
        <source>stopped waiting; the other download goes on</source>
        <translation>已停止等待，另一个下载仍在继续</translation>
    </message>
    <message>
        <source>interrupted; the partial file is kept — run the same command to resume</source>
        <translation>已中断；已下载的部分会保留，再次运行同一命令即可续传</translation>
    </message>
    <message>
        <source>no models yet in {folder}</source>
        <translation>{folder} 中还没有模型</translation>
    </message>
    <message>
        <source>MODEL</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>SOURCE / PATH</source>
        <translation>来源 / 路径</translation>
    </message>
    <message>
        <source>unusable</source>
        <translation>无法使用</translation>
    </message>
    <message>
        <source>{source}: {path}</source>
        <translation>{source}：{path}</translation>
    </message>
    <message>
        <source>downloaded</source>
        <translation>已下载</translation>
    </message>
    <message>
        <source>models folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <source>Hugging Face cache</source>
        <translation>Hugging Face 缓存</translation>
    </message>
</context>
<context>
    <name>cli.info</name>
    <message>
        <source>show a GGUF file's metadata</source>
        <translation>显示 GGUF 文件的元数据</translation>
    </message>
    <message>
        <source>Show a GGUF file's metadata, read from its header without loading it.</source>
        <translation>显示 GGUF 文件的元数据：只读取文件头，不加载模型。</translation>
    </message>
    <message>
        <source>the GGUF file</source>
        <translation>GGUF 文件</translation>
    </message>
    <message>
        <source>print JSON</source>
        <translation>输出 JSON</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>{size} in {count} parts</source>
        <translation>{size}，共 {count} 个分片</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <source>layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <source>attention heads</source>
        <translation>注意力头数</translation>
    </message>
    <message>
        <source>KV heads</source>
        <translation>KV 头数</translation>
    </message>
    <message>
        <source>chat template</source>
        <translation>对话模板</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>有</translation>
    </message>
    <message>
        <source>no</source>
        <translation>无</translation>
    </message>
    <message>
        <source>prompt format</source>
        <translation>提示词格式</translation>
    </message>
    <message>
        <source>GGUF version</source>
        <translation>GGUF 版本</translation>
    </message>
</context>
<context>
    <name>cli.language</name>
    <message>
        <source>{code} ({name})</source>
        <translation>{code}（{name}）</translation>
    </message>
    <message>
        <source>{value} is not an available language for --lang; choose {languages}</source>
        <translation>--lang 不支持语言 {value}；可选：{languages}</translation>
    </message>
</context>
<context>
    <name>cli.providers</name>
    <message>
        <source>print JSON</source>
        <translation>输出 JSON</translation>
    </message>
    <message>
        <source>a configured provider or a preset id</source>
        <translation>已配置的服务商或预设的 ID</translation>
    </message>
    <message>
        <source>list, add and remove cloud providers</source>
        <translation>列出、添加和移除云端服务商</translation>
    </message>
    <message>
        <source>List the configured cloud providers; with an action, add or remove one, save its API key or list its models.</source>
        <translation>列出已配置的云端服务商；加上操作时，可添加或移除服务商、保存其 API 密钥或列出其模型。</translation>
    </message>
    <message>
        <source>list the known services</source>
        <translation>列出已知的服务</translation>
    </message>
    <message>
        <source>configure a provider from a preset</source>
        <translation>根据预设配置一个服务商</translation>
    </message>
    <message>
        <source>a preset id (see --presets)</source>
        <translation>预设的 ID（见 --presets）</translation>
    </message>
    <message>
        <source>a name of your own (also gives the provider its id)</source>
        <translation>自定义名称（也用作服务商的 ID）</translation>
    </message>
    <message>
        <source>another address than the preset's</source>
        <translation>改用预设以外的接口地址</translation>
    </message>
    <message>
        <source>save a provider's API key, read from stdin (never from the command line)</source>
        <translation>保存服务商的 API 密钥，从 stdin 读取（绝不从命令行参数读取）</translation>
    </message>
    <message>
        <source>delete the saved key instead</source>
        <translation>改为删除已保存的密钥</translation>
    </message>
    <message>
        <source>where there is no keychain, keep keys in a private file in the data folder</source>
        <translation>没有系统钥匙串时，把密钥保存在数据文件夹中的私有文件里</translation>
    </message>
    <message>
        <source>forget a provider and delete its key</source>
        <translation>移除服务商并删除其密钥</translation>
    </message>
    <message>
        <source>a configured provider</source>
        <translation>已配置的服务商</translation>
    </message>
    <message>
        <source>fetch and list the models a provider serves</source>
        <translation>获取并列出服务商提供的模型</translation>
    </message>
    <message>
        <source>another address than the provider's</source>
        <translation>改用服务商设置以外的接口地址</translation>
    </message>
    <message>
        <source>file (unusable)</source>
        <translation>密钥文件（无法使用）</translation>
    </message>
    <message>
        <source>environment ({variable})</source>
        <translation>环境变量（{variable}）</translation>
    </message>
    <message>
        <source>keychain</source>
        <translation>系统钥匙串</translation>
    </message>
    <message>
        <source>file</source>
        <translation>密钥文件</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>no providers yet: add one with 'workbench providers add PRESET' (see 'workbench providers --presets')</source>
        <translation>还没有服务商：请用“workbench providers add PRESET”添加（见“workbench providers --presets”）</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>BASE URL</source>
        <translation>接口地址</translation>
    </message>
    <message>
        <source>MODELS</source>
        <translation>模型数</translation>
    </message>
    <message>
        <source>KEY</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>PRESET</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>KIND</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>KEY VARIABLE</source>
        <translation>密钥环境变量</translation>
    </message>
    <message>
        <source>(any, with --base-url)</source>
        <translation>（任意，用 --base-url 指定）</translation>
    </message>
    <message>
        <source>local</source>
        <translation>本地</translation>
    </message>
    <message>
        <source>any</source>
        <translation>任意</translation>
    </message>
    <message>
        <source>cloud</source>
        <translation>云端</translation>
    </message>
    <message>
        <source>no preset named {preset} (see 'workbench providers --presets')</source>
        <translation>没有名为 {preset} 的预设（见“workbench providers --presets”）</translation>
    </message>
    <message>
        <source>add its key with 'workbench providers key {id}' or set {variable}</source>
        <translation>请用“workbench providers key {id}”添加它的密钥，或设置环境变量 {variable}</translation>
    </message>
    <message>
        <source>The saved key for {provider} is deleted.</source>
        <translation>已删除 {provider} 已保存的密钥。</translation>
    </message>
    <message>
        <source>no key: pipe it into stdin</source>
        <translation>没有密钥：请通过管道把它传入 stdin</translation>
    </message>
    <message>
        <source>API key for {provider} (not shown): </source>
        <translation>{provider} 的 API 密钥（输入时不显示）：</translation>
    </message>
    <message>
        <source>no system keychain is available, so the key cannot be saved: set {variable} for this session or add --file-store to keep keys in a private file</source>
        <translation>没有可用的系统钥匙串，无法保存密钥：请在本次会话中设置 {variable}，或加上 --file-store 把密钥保存在私有文件中</translation>
    </message>
    <message>
        <source>no system keychain is available, so the key cannot be saved: add --file-store to keep keys in a private file</source>
        <translation>没有可用的系统钥匙串，无法保存密钥：请加上 --file-store 把密钥保存在私有文件中</translation>
    </message>
    <message>
        <source>The key for {provider} is saved in the system keychain.</source>
        <translation>{provider} 的密钥已保存到系统钥匙串。</translation>
    </message>
    <message>
        <source>The key for {provider} is saved in the key file {path}.</source>
        <translation>{provider} 的密钥已保存到密钥文件 {path}。</translation>
    </message>
    <message>
        <source>{variable} is set in this environment and is used instead of the saved key</source>
        <translation>当前环境中设置了 {variable}，将优先使用它，而不是已保存的密钥</translation>
    </message>
    <message>
        <source>no configured provider {id}</source>
        <translation>没有已配置的服务商 {id}</translation>
    </message>
    <message>
        <source>Provider {id} is removed, with its saved key.</source>
        <translation>已移除服务商 {id}，并删除了其已保存的密钥。</translation>
    </message>
    <message>
        <source>{provider} lists no models; type the model ID instead</source>
        <translation>{provider} 没有列出任何模型，请直接输入模型 ID</translation>
    </message>
</context>
<context>
    <name>cli.serve</name>
    <message>
        <source>offer a local model to other programs (OpenAI-compatible)</source>
        <extracomment>how often the main thread looks at the model process</extracomment>
        <translation>把本地模型提供给其他程序使用（兼容 OpenAI）</translation>
    </message>
    <message>
        <source>Load a GGUF model and answer OpenAI-compatible requests for it (/v1/chat/completions, /v1/completions, /v1/embeddings, /v1/models) until Ctrl+C.</source>
        <translation>加载一个 GGUF 模型，并应答针对它的兼容 OpenAI 的请求（/v1/chat/completions、/v1/completions、/v1/embeddings、/v1/models），直到按下 Ctrl+C。</translation>
    </message>
    <message>
        <source>the GGUF file to serve</source>
        <translation>要提供服务的 GGUF 文件</translation>
    </message>
    <message>
        <source>the port to listen on (default: {port})</source>
        <translation>监听的端口（默认：{port}）</translation>
    </message>
    <message>
        <source>the address to listen on: 127.0.0.1 (the default: this computer only) or 0.0.0.0 (the network; needs --api-key-env)</source>
        <translation>监听的地址：127.0.0.1（默认：仅本机）或 0.0.0.0（网络；需要 --api-key-env）</translation>
    </message>
    <message>
        <source>the environment variable holding the key clients must send (required beyond this computer)</source>
        <translation>存放客户端必须发送的密钥的环境变量（本机以外访问时必需）</translation>
    </message>
    <message>
        <source>a web page origin allowed to call the server from a browser, e.g. http://localhost:3000 (repeatable; default: none)</source>
        <translation>允许在浏览器中调用服务器的网页来源，例如 http://localhost:3000（可重复；默认：无）</translation>
    </message>
    <message>
        <source>do not print a line for each request</source>
        <translation>不为每个请求打印一行</translation>
    </message>
    <message>
        <source>the environment variable {name} is not set or is empty</source>
        <translation>环境变量 {name} 未设置或为空</translation>
    </message>
    <message>
        <source>{time} {endpoint} {status} · tokens: {tokens} · {seconds} s</source>
        <translation>{time} {endpoint} {status} · Token：{tokens} · {seconds} 秒</translation>
    </message>
    <message>
        <source>{line} · waited for the model</source>
        <translation>{line} · 曾等待模型</translation>
    </message>
    <message>
        <source>loading {name}: {percent}%</source>
        <translation>正在加载 {name}：{percent}%</translation>
    </message>
    <message>
        <source>give the key with --api-key-env VAR</source>
        <translation>请用 --api-key-env VAR 提供密钥</translation>
    </message>
    <message>
        <source>serving {name} at {url}; press Ctrl+C to stop</source>
        <translation>正在 {url} 提供 {name}；按 Ctrl+C 停止</translation>
    </message>
    <message>
        <source>the server stopped; the details are in the log file</source>
        <translation>服务器已停止；详情见日志文件</translation>
    </message>
    <message>
        <source>the model process ended; loading the model again (requests get an error until it is back)</source>
        <translation>模型进程已结束；正在重新加载模型（在此之前请求会收到错误）</translation>
    </message>
    <message>
        <source>stopping</source>
        <translation>正在停止</translation>
    </message>
</context>
<context>
    <name>core.catalogue</name>
    <message>
        <source>The model catalogue {path} cannot be read: {reason}.</source>
        <extracomment>Context length the recommendation is sized for: room for a real conversation. Without a usable GPU, files up to this size still answer at a readable speed on a processor.</extracomment>
        <translation>无法读取模型目录 {path}：{reason}。</translation>
    </message>
    <message>
        <source>The model catalogue {path} cannot be read: it is not a model catalogue ({error}).</source>
        <translation>无法读取模型目录 {path}：它不是模型目录文件（{error}）。</translation>
    </message>
</context>
<context>
    <name>core.cloud</name>
    <message>
        <source>The base URL for {provider} must start with http:// or https:// and name a host (it is {url}).</source>
        <extracomment>OpenAI accepts at most this many stop strings; most compatible services copy the limit requests per reply, counting retries after a rejected parameter what a connection test asks the model, for one token</extracomment>
        <translation>{provider} 的接口地址必须以 http:// 或 https:// 开头并包含主机名（当前为 {url}）。</translation>
    </message>
    <message>
        <source>The base URL for {provider} must start with http:// or https:// and name a host (it is empty).</source>
        <translation>{provider} 的接口地址必须以 http:// 或 https:// 开头并包含主机名（当前为空）。</translation>
    </message>
    <message>
        <source>{provider} at {url} did not answer with a model list: check the base URL (it usually ends in /v1).</source>
        <translation>{url} 上的 {provider} 没有返回模型列表：请检查接口地址（通常以 /v1 结尾）。</translation>
    </message>
    <message>
        <source>Connected to {provider}: 1 model.</source>
        <translation>已连接到 {provider}：共 1 个模型。</translation>
    </message>
    <message>
        <source>Connected to {provider}: {count} models.</source>
        <translation>已连接到 {provider}：共 {count} 个模型。</translation>
    </message>
    <message>
        <source>Connected to {provider} (it offers no model list); {model} answered in {seconds} s.</source>
        <translation>已连接到 {provider}（它不提供模型列表）；{model} 用 {seconds} 秒做出了回复。</translation>
    </message>
    <message>
        <source>Connected to {provider}: 1 model; {model} answered in {seconds} s.</source>
        <translation>已连接到 {provider}：共 1 个模型；{model} 用 {seconds} 秒做出了回复。</translation>
    </message>
    <message>
        <source>Connected to {provider}: {count} models; {model} answered in {seconds} s.</source>
        <translation>已连接到 {provider}：共 {count} 个模型；{model} 用 {seconds} 秒做出了回复。</translation>
    </message>
    <message>
        <source>This reply has already been read.</source>
        <translation>这条回复已经读取过了。</translation>
    </message>
    <message>
        <source>Something went wrong talking to {provider}; the details are in the log.</source>
        <translation>与 {provider} 通信时出错，详细信息见日志。</translation>
    </message>
    <message>
        <source>{provider} reported an error in the middle of the reply ({reason}); the part that arrived is kept.</source>
        <translation>{provider} 在回复中途报告了错误（{reason}）；已收到的部分会保留。</translation>
    </message>
    <message>
        <source>{provider} reported an error in the middle of the reply; the part that arrived is kept.</source>
        <translation>{provider} 在回复中途报告了错误；已收到的部分会保留。</translation>
    </message>
    <message>
        <source>{provider} sent nothing for {seconds} s in the middle of the reply; the part that arrived is kept.</source>
        <translation>{provider} 在回复中途 {seconds} 秒没有发送任何内容；已收到的部分会保留。</translation>
    </message>
    <message>
        <source>The connection to {provider} ended in the middle of the reply; the part that arrived is kept.</source>
        <translation>与 {provider} 的连接在回复中途断开；已收到的部分会保留。</translation>
    </message>
    <message>
        <source>Could not connect to {host} within {seconds} s: check the base URL and your internet connection.</source>
        <extracomment>how much of a provider's own message may be quoted</extracomment>
        <translation>{seconds} 秒内无法连接到 {host}：请检查接口地址和网络连接。</translation>
    </message>
    <message>
        <source>{provider} did not answer within {seconds} s: try again later.</source>
        <translation>{provider} 在 {seconds} 秒内没有响应：请稍后重试。</translation>
    </message>
    <message>
        <source>The certificate of {host} could not be verified, so the connection was not trusted: check the base URL (a private server needs its certificate installed).</source>
        <translation>无法验证 {host} 的证书，连接不受信任：请检查接口地址（私有服务器需要先安装它的证书）。</translation>
    </message>
    <message>
        <source>A secure (TLS) connection to {host} could not be set up: check whether the base URL should start with http:// instead of https://.</source>
        <translation>无法与 {host} 建立安全（TLS）连接：请检查接口地址是否应以 http:// 而不是 https:// 开头。</translation>
    </message>
    <message>
        <source>Could not find host {host}: check the base URL and your internet connection.</source>
        <translation>找不到主机 {host}：请检查接口地址和网络连接。</translation>
    </message>
    <message>
        <source>Nothing answers at {url}: check the base URL and that the server is running.</source>
        <translation>{url} 没有任何响应：请检查接口地址，并确认服务器正在运行。</translation>
    </message>
    <message>
        <source>{host} cannot be reached from this computer: check your internet connection.</source>
        <translation>本机无法访问 {host}：请检查网络连接。</translation>
    </message>
    <message>
        <source>Could not reach {provider} at {url}: check the base URL and your internet connection.</source>
        <translation>无法通过 {url} 访问 {provider}：请检查接口地址和网络连接。</translation>
    </message>
    <message>
        <source>{provider} needs an API key (401): add one in Settings.</source>
        <translation>{provider} 需要 API 密钥（401）：请在设置中添加。</translation>
    </message>
    <message>
        <source>The key for {provider} was refused (401): check it in Settings.</source>
        <translation>{provider} 拒绝了 API 密钥（401）：请在设置中检查密钥。</translation>
    </message>
    <message>
        <source>{provider} refused access to {model} (403): the key may not have access to this model, or the service may not be offered in your region.</source>
        <translation>{provider} 拒绝访问 {model}（403）：该 API 密钥可能没有这个模型的权限，或者该服务在你所在的地区不可用。</translation>
    </message>
    <message>
        <source>{provider} refused access (403): the key may not have the permissions needed.</source>
        <translation>{provider} 拒绝访问（403）：该 API 密钥可能没有所需的权限。</translation>
    </message>
    <message>
        <source>{provider} has no model called {model} (404): pick another model or check its name.</source>
        <translation>{provider} 没有名为 {model} 的模型（404）：请选择其他模型或检查模型名称。</translation>
    </message>
    <message>
        <source>Nothing at {url} answered like an OpenAI-compatible API (404): check the base URL (it usually ends in /v1).</source>
        <translation>{url} 没有像 OpenAI 兼容接口那样响应（404）：请检查接口地址（通常以 /v1 结尾）。</translation>
    </message>
    <message>
        <source>{provider} says the quota for this key is used up (429): check your plan and billing.</source>
        <translation>{provider} 提示该 API 密钥的额度已用完（429）：请检查你的套餐和账单。</translation>
    </message>
    <message>
        <source>{provider} is limiting requests (429): try again in {wait}.</source>
        <translation>{provider} 正在限制请求频率（429）：请在 {wait} 后重试。</translation>
    </message>
    <message>
        <source>{provider} is limiting requests (429): wait a moment and try again.</source>
        <translation>{provider} 正在限制请求频率（429）：请稍等片刻再试。</translation>
    </message>
    <message>
        <source>{provider} is overloaded or down ({status}): try again in {wait}.</source>
        <translation>{provider} 负载过高或暂时不可用（{status}）：请在 {wait} 后重试。</translation>
    </message>
    <message>
        <source>{provider} had a server error ({status}): try again in {wait}.</source>
        <translation>{provider} 服务器出错（{status}）：请在 {wait} 后重试。</translation>
    </message>
    <message>
        <source>{provider} is overloaded or down ({status}): try again later.</source>
        <translation>{provider} 负载过高或暂时不可用（{status}）：请稍后重试。</translation>
    </message>
    <message>
        <source>{provider} had a server error ({status}): try again later.</source>
        <translation>{provider} 服务器出错（{status}）：请稍后重试。</translation>
    </message>
    <message>
        <source>The conversation is too long for {model} at {provider}: start a new chat or remove earlier messages.</source>
        <translation>对话内容超出了 {provider} 上 {model} 的上下文长度：请新建对话或删除较早的消息。</translation>
    </message>
    <message>
        <source>The conversation is too long for this model at {provider}: start a new chat or remove earlier messages.</source>
        <translation>对话内容超出了 {provider} 上该模型的上下文长度：请新建对话或删除较早的消息。</translation>
    </message>
    <message>
        <source>{provider} rejected the request for {model} ({status}): {reason}.</source>
        <translation>{provider} 拒绝了对 {model} 的请求（{status}）：{reason}。</translation>
    </message>
    <message>
        <source>{provider} rejected the request for {model} ({status}).</source>
        <translation>{provider} 拒绝了对 {model} 的请求（{status}）。</translation>
    </message>
    <message>
        <source>{provider} rejected the request ({status}): {reason}.</source>
        <translation>{provider} 拒绝了请求（{status}）：{reason}。</translation>
    </message>
    <message>
        <source>{provider} rejected the request ({status}).</source>
        <translation>{provider} 拒绝了请求（{status}）。</translation>
    </message>
    <message>
        <source>{provider} answered with an error: {reason}.</source>
        <translation>{provider} 返回了错误：{reason}。</translation>
    </message>
    <message>
        <source>{provider} answered with an error.</source>
        <translation>{provider} 返回了错误。</translation>
    </message>
    <message>
        <source>{provider} rejected the temperature setting for {model}; set Temperature to 1 for this model.</source>
        <translation>{provider} 不接受 {model} 的温度设置；请为这个模型把“温度”设为 1。</translation>
    </message>
    <message>
        <source>{provider} rejected the temperature setting for {model} ({reason}); set Temperature to 1 for this model.</source>
        <translation>{provider} 不接受 {model} 的温度设置（{reason}）；请为这个模型把“温度”设为 1。</translation>
    </message>
    <message>
        <source>{provider} rejected the Top-p setting for {model}; set Top-p to 1 for this model.</source>
        <translation>{provider} 不接受 {model} 的 Top-P 设置；请为这个模型把 Top-P 设为 1。</translation>
    </message>
    <message>
        <source>{provider} rejected the Top-p setting for {model} ({reason}); set Top-p to 1 for this model.</source>
        <translation>{provider} 不接受 {model} 的 Top-P 设置（{reason}）；请为这个模型把 Top-P 设为 1。</translation>
    </message>
    <message>
        <source>{provider} rejected the maximum reply length for {model}; change Maximum reply length (tokens) or choose another model.</source>
        <translation>{provider} 不接受 {model} 的最大回复长度；请修改“最大回复长度（Token）”或换一个模型。</translation>
    </message>
    <message>
        <source>{provider} rejected the maximum reply length for {model} ({reason}); change Maximum reply length (tokens) or choose another model.</source>
        <translation>{provider} 不接受 {model} 的最大回复长度（{reason}）；请修改“最大回复长度（Token）”或换一个模型。</translation>
    </message>
    <message>
        <source>{provider} rejected the stop strings for {model}; remove them for this model.</source>
        <translation>{provider} 不接受 {model} 的停止词；请为这个模型删除停止词。</translation>
    </message>
    <message>
        <source>{provider} rejected the stop strings for {model} ({reason}); remove them for this model.</source>
        <translation>{provider} 不接受 {model} 的停止词（{reason}）；请为这个模型删除停止词。</translation>
    </message>
    <message>
        <source>{provider} rejected the seed for {model}; clear Seed for this model.</source>
        <translation>{provider} 不接受 {model} 的随机种子；请为这个模型清空“随机种子”。</translation>
    </message>
    <message>
        <source>{provider} rejected the seed for {model} ({reason}); clear Seed for this model.</source>
        <translation>{provider} 不接受 {model} 的随机种子（{reason}）；请为这个模型清空“随机种子”。</translation>
    </message>
    <message>
        <source>{provider} rejected Top-k, Min-p or Repeat penalty for {model}; turn off the extra sampling settings for this provider.</source>
        <translation>{provider} 不接受 {model} 的 Top-K、Min-P 或重复惩罚；请为这个服务商关闭额外的采样设置。</translation>
    </message>
    <message>
        <source>{provider} rejected Top-k, Min-p or Repeat penalty for {model} ({reason}); turn off the extra sampling settings for this provider.</source>
        <translation>{provider} 不接受 {model} 的 Top-K、Min-P 或重复惩罚（{reason}）；请为这个服务商关闭额外的采样设置。</translation>
    </message>
    <message>
        <source>{provider} rejected the {name} parameter for {model}.</source>
        <translation>{provider} 不接受 {model} 的 {name} 参数。</translation>
    </message>
    <message>
        <source>{provider} rejected the {name} parameter for {model} ({reason}).</source>
        <translation>{provider} 不接受 {model} 的 {name} 参数（{reason}）。</translation>
    </message>
    <message>
        <source>The price list {path} could not be read, so the default prices are used and the broken file was kept as {name}.</source>
        <translation>无法读取价格表 {path}，已改用默认价格，损坏的文件另存为 {name}。</translation>
    </message>
    <message>
        <source>Some entries in {file} are not [input, output] prices and are ignored: {names}.</source>
        <translation>{file} 中有些条目不是 [输入, 输出] 价格，已忽略：{names}。</translation>
    </message>
    <message>
        <source>The price needs a model name.</source>
        <translation>价格需要填写模型名称。</translation>
    </message>
    <message>
        <source>Prices must be zero or more dollars per million tokens.</source>
        <translation>价格必须是不小于 0 的数字（美元/每百万 Token）。</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>The base URL is empty; enter the service's address, like https://api.openai.com/v1.</source>
        <translation>接口地址为空；请填写服务的地址，例如 https://api.openai.com/v1。</translation>
    </message>
    <message>
        <source>“{text}” has no http:// or https:// in front; write it as {fixed} (or https:// for a remote service).</source>
        <translation>“{text}”前面缺少 http:// 或 https://；请写成 {fixed}（远程服务请用 https://）。</translation>
    </message>
    <message>
        <source>“{text}” is not a web address; the base URL must start with http:// or https://.</source>
        <translation>“{text}”不是网址；接口地址必须以 http:// 或 https:// 开头。</translation>
    </message>
    <message>
        <source>“{text}” has no server name after {scheme}.</source>
        <translation>“{text}”在 {scheme} 之后缺少服务器名称。</translation>
    </message>
    <message>
        <source>The base URL must not contain a user name or password; enter the API key in its own field.</source>
        <translation>接口地址中不能包含用户名或密码；请在单独的输入框中填写 API 密钥。</translation>
    </message>
    <message>
        <source>The base URL must not contain “?” or “#”.</source>
        <translation>接口地址中不能包含“?”或“#”。</translation>
    </message>
    <message>
        <source>“{text}” has a port that is not a number.</source>
        <translation>“{text}”中的端口不是数字。</translation>
    </message>
    <message>
        <source>{provider} needs a base URL, like http://localhost:8000/v1.</source>
        <translation>{provider} 需要填写接口地址，例如 http://localhost:8000/v1。</translation>
    </message>
    <message>
        <source>The provider needs a name.</source>
        <translation>服务商需要一个名称。</translation>
    </message>
    <message>
        <source>no provider named {name} (try one of: {known})</source>
        <translation>没有名为 {name} 的服务商（可用的有：{known}）</translation>
    </message>
    <message>
        <source>OPENAI_BASE_URL is set to an unusable value: {reason}</source>
        <translation>OPENAI_BASE_URL 的值无法使用：{reason}</translation>
    </message>
    <message>
        <source>no API key for {provider}: set {variable} or add the key in Settings</source>
        <translation>{provider} 没有 API 密钥：请设置 {variable}，或在设置中添加 API 密钥</translation>
    </message>
</context>
<context>
    <name>core.compare.leaderboard</name>
    <message>
        <source>Workbench could not save {path} ({reason}); choose another folder and try again.</source>
        <translation>Workbench 无法保存 {path}（{reason}），请选择其他文件夹后重试。</translation>
    </message>
</context>
<context>
    <name>core.compare.runner</name>
    <message>
        <source>The round was cancelled before this answer was complete.</source>
        <extracomment>how often the waiting thread looks at the cancel event and at targets stopped while waiting how long a cancelled round waits for its threads before giving up on them</extracomment>
        <translation>这一轮在此回复完成前被取消。</translation>
    </message>
    <message>
        <source>The round was cancelled before this target could answer.</source>
        <translation>这一轮在此模型开始回复前被取消。</translation>
    </message>
    <message>
        <source>This target failed unexpectedly ({error}); details are in the log file.</source>
        <translation>此模型意外出错（{error}），详情请查看日志文件。</translation>
    </message>
    <message>
        <source>The model could not be loaded ({error}); details are in the log file.</source>
        <translation>无法加载模型（{error}），详情请查看日志文件。</translation>
    </message>
    <message>
        <source>The reply ended too early.</source>
        <translation>回复意外提前结束。</translation>
    </message>
</context>
<context>
    <name>core.compare.sessions</name>
    <message>
        <source>Comparison {id} no longer exists.</source>
        <translation>对比 {id} 已不存在。</translation>
    </message>
    <message>
        <source>Round {id} of the comparison no longer exists.</source>
        <translation>对比中的第 {id} 轮已不存在。</translation>
    </message>
    <message>
        <source>Model {id} is not part of this comparison any more.</source>
        <translation>模型 {id} 已不在此对比中。</translation>
    </message>
    <message>
        <source>Prompt set {id} no longer exists.</source>
        <translation>提示词集 {id} 已不存在。</translation>
    </message>
    <message>
        <source>A target's model cannot change; start a new comparison.</source>
        <translation>对比中的模型不能更换，请新建一个对比。</translation>
    </message>
    <message>
        <source>A vote is one of {outcomes}, not {outcome}.</source>
        <translation>投票结果只能是 {outcomes} 之一，而不是 {outcome}。</translation>
    </message>
    <message>
        <source>Only a 'best' vote names a winner, and it must name one.</source>
        <translation>只有“最佳”投票需要指明胜者，而且必须指明。</translation>
    </message>
    <message>
        <source>Give the prompt set a name.</source>
        <translation>请为提示词集命名。</translation>
    </message>
    <message>
        <source>A prompt set needs at least one prompt.</source>
        <translation>提示词集至少需要一个提示词。</translation>
    </message>
</context>
<context>
    <name>core.compare.targets</name>
    <message>
        <source>A saved compare target is missing its provider or model.</source>
        <translation>已保存的对比模型缺少服务商或模型。</translation>
    </message>
    <message>
        <source>A target is written local:PATH or PROVIDER:MODEL (for example openai:gpt-4o-mini), not {text}.</source>
        <translation>对比模型应写作 local:PATH 或 PROVIDER:MODEL（例如 openai:gpt-4o-mini），而不是 {text}。</translation>
    </message>
    <message>
        <source>A comparison needs {low} to {high} targets; {count} given.</source>
        <translation>对比需要 {low} 到 {high} 个模型，但给出了 {count} 个。</translation>
    </message>
</context>
<context>
    <name>core.downloads</name>
    <message>
        <source>The file name {name} could be written outside the download folder, so it was refused.</source>
        <translation>文件名 {name} 可能会被写到下载文件夹之外，因此已被拒绝。</translation>
    </message>
    <message>
        <source>The download of {name} stopped after {tries} tries because of a network error; {size} are kept and it will resume from there.</source>
        <translation>{name} 的下载因网络错误尝试 {tries} 次后停止；已下载的 {size} 会保留，之后将从该处续传。</translation>
    </message>
    <message>
        <source>The download of {name} stopped after {tries} tries because of the Hub limiting requests; {size} are kept and it will resume from there.</source>
        <translation>{name} 的下载因 Hub 限制请求频率尝试 {tries} 次后停止；已下载的 {size} 会保留，之后将从该处续传。</translation>
    </message>
    <message>
        <source>The download of {name} stopped after {tries} tries because of server errors; {size} are kept and it will resume from there.</source>
        <translation>{name} 的下载因服务器错误尝试 {tries} 次后停止；已下载的 {size} 会保留，之后将从该处续传。</translation>
    </message>
    <message>
        <source>The download of {name} stopped after {tries} tries because of errors; {size} are kept and it will resume from there.</source>
        <translation>{name} 的下载出错，尝试 {tries} 次后停止；已下载的 {size} 会保留，之后将从该处续传。</translation>
    </message>
    <message>
        <source>The download of {name} stopped after {tries} tries because of a network error.</source>
        <translation>{name} 的下载因网络错误尝试 {tries} 次后停止。</translation>
    </message>
    <message>
        <source>The download of {name} stopped after {tries} tries because of the Hub limiting requests.</source>
        <translation>{name} 的下载因 Hub 限制请求频率尝试 {tries} 次后停止。</translation>
    </message>
    <message>
        <source>The download of {name} stopped after {tries} tries because of server errors.</source>
        <translation>{name} 的下载因服务器错误尝试 {tries} 次后停止。</translation>
    </message>
    <message>
        <source>The download of {name} stopped after {tries} tries because of errors.</source>
        <translation>{name} 的下载出错，尝试 {tries} 次后停止。</translation>
    </message>
    <message>
        <source>{name} is in a gated repository that your access token cannot open yet; request access on its Hub page and try again.</source>
        <translation>{name} 位于受限仓库中，你的访问令牌暂时无权访问；请在它的 Hub 页面上申请访问权限，然后重试。</translation>
    </message>
    <message>
        <source>{name} is in a gated repository; request access on its Hub page and add an access token in Settings.</source>
        <translation>{name} 位于受限仓库中；请在它的 Hub 页面上申请访问权限，并在“设置”中填写访问令牌。</translation>
    </message>
    <message>
        <source>{name} was not found on the Hub; the repository or file may have been renamed, removed or made private.</source>
        <translation>在 Hub 上找不到 {name}；仓库或文件可能已被重命名、删除或设为私有。</translation>
    </message>
    <message>
        <source>The Hub refused access to {name}; check the access token in Settings.</source>
        <translation>Hub 拒绝访问 {name}，请在“设置”中检查访问令牌。</translation>
    </message>
    <message>
        <source>The Hub is limiting requests, so the download of {name} is waiting.</source>
        <translation>Hub 正在限制请求频率，{name} 的下载正在等待。</translation>
    </message>
    <message>
        <source>The server answered error {status} for {name}; it will be tried again.</source>
        <translation>服务器对 {name} 返回了错误 {status}，稍后会自动重试。</translation>
    </message>
    <message>
        <source>The server answered HTTP {status} for {name}.</source>
        <translation>服务器对 {name} 返回了 HTTP {status}。</translation>
    </message>
    <message>
        <source>A download needs at least one file.</source>
        <translation>下载任务至少需要一个文件。</translation>
    </message>
    <message>
        <source>Two files of {repo} would be saved under the same name, so the download was refused.</source>
        <translation>{repo} 中有两个文件会以相同的名称保存，因此已拒绝下载。</translation>
    </message>
    <message>
        <source>{name} is already in the download queue with some of the same files.</source>
        <translation>{name} 已在下载队列中，且包含部分相同的文件。</translation>
    </message>
    <message>
        <source>{name} is still in the queue; cancel it first.</source>
        <translation>{name} 仍在下载队列中，请先取消它。</translation>
    </message>
    <message>
        <source>The download of {name} stopped because of an internal error.</source>
        <translation>{name} 的下载因内部错误而停止。</translation>
    </message>
    <message>
        <source>The download of {name} was cancelled.</source>
        <extracomment>whether another download of the same file held its lock and this one waited whether ``dest`` turned out to be the expected file already, so nothing was fetched</extracomment>
        <translation>{name} 的下载已取消。</translation>
    </message>
    <message>
        <source>The download of {name} was paused at {size}.</source>
        <translation>{name} 的下载已在 {size} 处暂停。</translation>
    </message>
    <message>
        <source>The server sent an unusable answer for {name}.</source>
        <translation>服务器对 {name} 返回了无法使用的响应。</translation>
    </message>
    <message>
        <source>There is not enough free space for {name}: it needs {needed} and only {free} are free.</source>
        <translation>空间不足，无法下载 {name}：需要 {needed}，但只剩 {free} 可用。</translation>
    </message>
    <message>
        <source>The download of {name} failed because the server's certificate could not be verified.</source>
        <translation>{name} 下载失败：无法验证服务器的证书。</translation>
    </message>
    <message>
        <source>The Hub now reports a different size for {name} than when the download began; the partial file was discarded and it must be downloaded again.</source>
        <translation>Hub 现在报告的 {name} 大小与开始下载时不同；已下载的部分已丢弃，需要重新下载。</translation>
    </message>
    <message>
        <source>The download of {name} did not match the Hub's checksum; the file was discarded and must be downloaded again.</source>
        <translation>下载的 {name} 与 Hub 提供的校验值不一致；文件已丢弃，需要重新下载。</translation>
    </message>
    <message>
        <source>The download of {name} was interrupted by a network error; it will resume from {size}.</source>
        <translation>{name} 的下载因网络错误中断，将从 {size} 处续传。</translation>
    </message>
    <message>
        <source>The disk filled up while downloading {name}; the {size} already downloaded are kept, so free some space and resume.</source>
        <translation>下载 {name} 时磁盘已满；已下载的 {size} 会保留，请清理一些空间后继续下载。</translation>
    </message>
    <message>
        <source>The disk filled up while downloading {name}, so free some space and resume.</source>
        <translation>下载 {name} 时磁盘已满，请清理一些空间后继续下载。</translation>
    </message>
    <message>
        <source>Workbench could not write {name} to {folder}: {reason}.</source>
        <translation>Workbench 无法将 {name} 写入 {folder}：{reason}。</translation>
    </message>
</context>
<context>
    <name>core.exchange</name>
    <message>
        <source>Models: {models}</source>
        <translation>模型：{models}</translation>
    </message>
    <message>
        <source>Started {created}, last changed {updated}</source>
        <translation>创建于 {created}，最后修改于 {updated}</translation>
    </message>
    <message>
        <source>Messages: {messages}; tokens written: {completion}; tokens read: {prompt}</source>
        <translation>消息：{messages} 条；生成 Token：{completion} 个；读取 Token：{prompt} 个</translation>
    </message>
    <message>
        <source>Imported from ChatGPT</source>
        <translation>从 ChatGPT 导入</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推理过程</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Assistant ({model})</source>
        <translation>助手（{model}）</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>{tokens} tokens at {speed} tokens/s in {seconds} s</source>
        <translation>{tokens} 个 Token，{speed} Token/秒，用时 {seconds} 秒</translation>
    </message>
    <message>
        <source>1 token</source>
        <translation>1 个 Token</translation>
    </message>
    <message>
        <source>%n tokens</source>
        <translation>%n 个 Token</translation>
    </message>
    <message>
        <source>Workbench could not save {path} ({reason}); choose another folder and try again.</source>
        <translation>Workbench 无法保存 {path}（{reason}），请选择其他文件夹后重试。</translation>
    </message>
    <message>
        <source>{file} was exported by a newer Workbench (format version {version}); update Workbench to import it.</source>
        <translation>{file} 由更新版本的 Workbench 导出（格式版本 {version}），请更新 Workbench 后再导入。</translation>
    </message>
    <message>
        <source>Conversation {number} in {file} is incomplete or damaged, so nothing from the file was imported.</source>
        <translation>{file} 中的第 {number} 个对话不完整或已损坏，因此该文件中的内容均未导入。</translation>
    </message>
    <message>
        <source>{file} is neither a Workbench export nor a ChatGPT export (conversations.json or its zip), so nothing was imported.</source>
        <translation>{file} 既不是 Workbench 导出文件，也不是 ChatGPT 导出文件（conversations.json 或其 zip 文件），因此未导入任何内容。</translation>
    </message>
    <message>
        <source>{file} holds conversations whose messages do not fit together, so nothing from the file was imported.</source>
        <translation>{file} 中有对话的消息无法衔接，因此该文件中的内容均未导入。</translation>
    </message>
    <message>
        <source>{file} could not be read ({reason}).</source>
        <translation>无法读取 {file}（{reason}）。</translation>
    </message>
    <message>
        <source>{file} is a zip file without a conversations.json in it; choose the zip of ChatGPT's data export, or the conversations.json itself.</source>
        <translation>{file} 是一个不含 conversations.json 的 zip 文件；请选择 ChatGPT 数据导出的 zip 文件，或直接选择 conversations.json。</translation>
    </message>
    <message>
        <source>{file} is a damaged or unsupported zip file.</source>
        <translation>{file} 是已损坏或不受支持的 zip 文件。</translation>
    </message>
    <message>
        <source>{file} is not a text file, so it cannot be an export to import.</source>
        <translation>{file} 不是文本文件，因此不可能是可导入的导出文件。</translation>
    </message>
    <message>
        <source>{file} is not valid JSON (line {line}, column {column}), so nothing was imported.</source>
        <translation>{file} 不是有效的 JSON（第 {line} 行，第 {column} 列），因此未导入任何内容。</translation>
    </message>
    <message>
        <source>{file} is nested too deeply to be an export Workbench can read.</source>
        <translation>{file} 的嵌套层级过深，Workbench 无法读取。</translation>
    </message>
</context>
<context>
    <name>core.fit</name>
    <message>
        <source>{name} does not describe its layers and attention heads, so its memory use cannot be estimated.</source>
        <translation>{name} 没有说明它的层数和注意力头，无法估算它需要多少内存。</translation>
    </message>
    <message>
        <source>This model does not describe its layers and attention heads, so its memory use cannot be estimated.</source>
        <translation>这个模型没有说明它的层数和注意力头，无法估算它需要多少内存。</translation>
    </message>
    <message>
        <source>{name} is not a KV cache type.</source>
        <translation>{name} 不是有效的 KV 缓存类型。</translation>
    </message>
    <message>
        <source>Full GPU offload</source>
        <translation>全部卸载到 GPU</translation>
    </message>
    <message>
        <source>Partial: {layers} of {total} layers on the GPU</source>
        <translation>部分：{total} 层中 {layers} 层在 GPU 上</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>仅 CPU</translation>
    </message>
    <message>
        <source>Too large</source>
        <translation>太大</translation>
    </message>
    <message>
        <source>the GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>Model {model} + context {context} + work buffers {buffers} = {needed}; {gpu_free} free on {gpu}, so it all fits on the GPU.</source>
        <translation>模型 {model} + 上下文 {context} + 计算缓冲区 {buffers} = {needed}；{gpu} 上有 {gpu_free} 可用，可以全部放到 GPU 上。</translation>
    </message>
    <message>
        <source>Model {model} + context {context} + work buffers {buffers} = {needed}; {gpu_free} free on {gpu} holds {layers} of {total} layers, and the rest ({rest}) fits in {ram_free} free RAM.</source>
        <translation>模型 {model} + 上下文 {context} + 计算缓冲区 {buffers} = {needed}；{gpu} 上可用的 {gpu_free} 能放下 {total} 层中的 {layers} 层，其余部分（{rest}）放在可用内存 {ram_free} 中。</translation>
    </message>
    <message>
        <source>Model {model} + context {context} + work buffers {buffers} = {needed}; no GPU was found, and it fits in {ram_free} free RAM.</source>
        <translation>模型 {model} + 上下文 {context} + 计算缓冲区 {buffers} = {needed}；未找到 GPU，可用内存 {ram_free} 放得下。</translation>
    </message>
    <message>
        <source>Model {model} + context {context} + work buffers {buffers} = {needed}; {gpu_free} free on {gpu} is too little for any layer, and it fits in {ram_free} free RAM.</source>
        <translation>模型 {model} + 上下文 {context} + 计算缓冲区 {buffers} = {needed}；{gpu} 上可用的 {gpu_free} 一层也放不下，但可用内存 {ram_free} 放得下。</translation>
    </message>
    <message>
        <source>Model {model} + context {context} + work buffers {buffers} = {needed}; {in_ram} must be in RAM even with {layers} layers on {gpu}, but only {ram_free} is free.</source>
        <translation>模型 {model} + 上下文 {context} + 计算缓冲区 {buffers} = {needed}；即使把 {layers} 层放到 {gpu} 上，仍有 {in_ram} 必须放在内存中，但可用内存只有 {ram_free}。</translation>
    </message>
    <message>
        <source>Model {model} + context {context} + work buffers {buffers} = {needed}; {in_ram} must be in RAM, but only {ram_free} is free.</source>
        <translation>模型 {model} + 上下文 {context} + 计算缓冲区 {buffers} = {needed}；需要 {in_ram} 内存，但可用内存只有 {ram_free}。</translation>
    </message>
</context>
<context>
    <name>core.gguf_file</name>
    <message>
        <source>{source} has a header larger than {size}, which no real model has; the file is probably damaged — download it again.</source>
        <extracomment>for the vocabulary: which of the tokens that name a prompt format it holds</extracomment>
        <translation>{source} 的文件头大于 {size}，真正的模型不会这样；文件可能已损坏，请重新下载。</translation>
    </message>
    <message>
        <source>{source} claims a {count}-byte string in the value of {key}; the file is probably damaged — download it again.</source>
        <translation>{source} 的 {key} 的值中声明了一个 {count} 字节的字符串；文件可能已损坏，请重新下载。</translation>
    </message>
    <message>
        <source>{source} claims a {count}-byte string in a metadata key; the file is probably damaged — download it again.</source>
        <translation>{source} 的一个元数据键声明了 {count} 字节的字符串；文件可能已损坏，请重新下载。</translation>
    </message>
    <message>
        <source>{source} claims a {count}-byte string in a tensor name; the file is probably damaged — download it again.</source>
        <translation>{source} 的一个张量名称声明了 {count} 字节的字符串；文件可能已损坏，请重新下载。</translation>
    </message>
    <message>
        <source>{source} has an invalid array type {type} in {key}; the file is probably damaged — download it again.</source>
        <translation>{source} 的 {key} 中有无效的数组类型 {type}；文件可能已损坏，请重新下载。</translation>
    </message>
    <message>
        <source>{source} claims a {count}-element array in {key}; the file is probably damaged — download it again.</source>
        <translation>{source} 的 {key} 中声明了一个有 {count} 个元素的数组；文件可能已损坏，请重新下载。</translation>
    </message>
    <message>
        <source>{source} has an unknown metadata type {type} in {key}; the file is probably damaged — download it again.</source>
        <translation>{source} 的 {key} 中有未知的元数据类型 {type}；文件可能已损坏，请重新下载。</translation>
    </message>
    <message>
        <source>{source} has a tensor {name} whose rows do not fit its quantization; the file is probably damaged — download it again.</source>
        <translation>{source} 中张量 {name} 的行长度与它的量化类型不符；文件可能已损坏，请重新下载。</translation>
    </message>
    <message>
        <source>{source} claims {tensors} tensors and {entries} metadata entries; the file is probably damaged — download it again.</source>
        <translation>{source} 声明有 {tensors} 个张量和 {entries} 条元数据；文件可能已损坏，请重新下载。</translation>
    </message>
    <message>
        <source>{source} has an empty or repeated metadata key {key}; the file is probably damaged — download it again.</source>
        <translation>{source} 中有空的或重复的元数据键 {key}；文件可能已损坏，请重新下载。</translation>
    </message>
    <message>
        <source>{source} has an invalid alignment {alignment}; the file is probably damaged — download it again.</source>
        <translation>{source} 的对齐值 {alignment} 无效；文件可能已损坏，请重新下载。</translation>
    </message>
    <message>
        <source>{source} has a tensor {name} with {count} dimensions; the file is probably damaged — download it again.</source>
        <translation>{source} 中的张量 {name} 有 {count} 个维度；文件可能已损坏，请重新下载。</translation>
    </message>
    <message>
        <source>{source} has an impossibly large tensor {name}; the file is probably damaged — download it again.</source>
        <translation>{source} 中的张量 {name} 大得不合常理；文件可能已损坏，请重新下载。</translation>
    </message>
    <message>
        <source>{source} is truncated: it ends after {count} bytes, inside its header; the download is probably incomplete — download it again.</source>
        <translation>{source} 不完整：文件在第 {count} 字节处就结束了，还在文件头之内；可能没有下载完，请重新下载。</translation>
    </message>
    <message>
        <source>{source} is a Git LFS pointer, not the model itself; download the real file (for example with `git lfs pull` or from the model's web page).</source>
        <translation>{source} 是一个 Git LFS 指针文件，不是模型本身；请下载真正的文件（例如用 `git lfs pull`，或从模型的网页下载）。</translation>
    </message>
    <message>
        <source>{source} is a web page (HTML), not a GGUF model; the download probably saved an error or login page — download it again.</source>
        <translation>{source} 是一个网页（HTML），不是 GGUF 模型；下载时可能保存了错误页或登录页，请重新下载。</translation>
    </message>
    <message>
        <source>{source} is a JSON document, not a GGUF model; download the .gguf file itself.</source>
        <translation>{source} 是一个 JSON 文档，不是 GGUF 模型；请下载 .gguf 文件本身。</translation>
    </message>
    <message>
        <source>{source} uses the old GGML format, which llama.cpp no longer reads; download a GGUF version.</source>
        <translation>{source} 使用旧的 GGML 格式，llama.cpp 已不再支持；请下载 GGUF 版本。</translation>
    </message>
    <message>
        <source>{source} is a safetensors file; Workbench runs GGUF models only — download a GGUF version.</source>
        <translation>{source} 是 safetensors 文件；Workbench 只能运行 GGUF 模型，请下载 GGUF 版本。</translation>
    </message>
    <message>
        <source>{source} is a ZIP archive (perhaps a PyTorch checkpoint), not a GGUF model.</source>
        <translation>{source} 是一个 ZIP 压缩包（可能是 PyTorch 检查点），不是 GGUF 模型。</translation>
    </message>
    <message>
        <source>{source} is a text file, not a GGUF model.</source>
        <translation>{source} 是文本文件，不是 GGUF 模型。</translation>
    </message>
    <message>
        <source>{source} is not a GGUF model file (it does not start with 'GGUF').</source>
        <translation>{source} 不是 GGUF 模型文件（开头不是“GGUF”）。</translation>
    </message>
    <message>
        <source>the file</source>
        <translation>该文件</translation>
    </message>
    <message>
        <source>{source} is empty; download it again.</source>
        <translation>{source} 是空文件；请重新下载。</translation>
    </message>
    <message>
        <source>{source} is a big-endian GGUF file; big-endian GGUF files are not supported — download the ordinary (little-endian) version.</source>
        <translation>{source} 是大端序 GGUF 文件，不受支持；请下载普通的（小端序）版本。</translation>
    </message>
    <message>
        <source>{source} uses GGUF version {version}, which is too old for llama.cpp; download a newer conversion of this model.</source>
        <translation>{source} 使用 GGUF 版本 {version}，对 llama.cpp 来说太旧了；请下载这个模型较新的转换版本。</translation>
    </message>
    <message>
        <source>{source} uses GGUF version {version}, which this version of Workbench does not support; update Workbench.</source>
        <translation>{source} 使用 GGUF 版本 {version}，当前版本的 Workbench 不支持；请更新 Workbench。</translation>
    </message>
    <message>
        <source>{name} could not be read ({reason}).</source>
        <translation>无法读取 {name}（{reason}）。</translation>
    </message>
    <message>
        <source>{path} was not found; check the path.</source>
        <translation>找不到 {path}；请检查路径。</translation>
    </message>
    <message>
        <source>{name} is a folder, not a model file; choose the .gguf file inside it.</source>
        <translation>{name} 是文件夹，不是模型文件；请选择其中的 .gguf 文件。</translation>
    </message>
    <message>
        <source>{name} is not a regular file; choose a .gguf model file.</source>
        <translation>{name} 不是普通文件；请选择一个 .gguf 模型文件。</translation>
    </message>
    <message>
        <source>Workbench is not allowed to read {name}; check the file's permissions.</source>
        <translation>Workbench 没有读取 {name} 的权限；请检查文件权限。</translation>
    </message>
    <message>
        <source>{name} uses a quantization type ({types}) that this version of Workbench does not support; update Workbench or choose another quantization.</source>
        <translation>{name} 使用的量化类型（{types}）当前版本的 Workbench 不支持；请更新 Workbench，或选择其他量化版本。</translation>
    </message>
    <message>
        <source>{count} bytes</source>
        <translation>{count} 字节</translation>
    </message>
    <message>
        <source>{name} is truncated: it is {have} but its header describes {want} of data; the download is probably incomplete — download it again.</source>
        <translation>{name} 不完整：文件只有 {have}，但文件头描述的数据有 {want}；可能没有下载完，请重新下载。</translation>
    </message>
    <message>
        <source>{name} is part {part} of a model split into {count} files; open the first part, {first}, instead.</source>
        <translation>{name} 是拆分为 {count} 个文件的模型的第 {part} 部分；请改为打开第一部分 {first}。</translation>
    </message>
    <message>
        <source>{name} is the first of {count} parts, but part {missing} is missing; download all parts into the same folder.</source>
        <translation>{name} 是 {count} 个分片中的第一个，但缺少分片 {missing}；请把所有分片下载到同一个文件夹。</translation>
    </message>
    <message>
        <source>{name} is the first of {count} parts, but part {missing} is missing (and {more} more); download all parts into the same folder.</source>
        <translation>{name} 是 {count} 个分片中的第一个，但缺少分片 {missing}（另外还缺 {more} 个）；请把所有分片下载到同一个文件夹。</translation>
    </message>
    <message>
        <source>{name} contains no model weights (it may hold only a vocabulary), so it cannot be chatted with; download the full model.</source>
        <translation>{name} 不含模型权重（可能只有词表），无法用来对话；请下载完整的模型。</translation>
    </message>
</context>
<context>
    <name>core.hub</name>
    <message>
        <source>the Hub</source>
        <translation>Hub</translation>
    </message>
    <message>
        <source>the model {repo}</source>
        <translation>模型 {repo}</translation>
    </message>
    <message>
        <source>the file {file} in the model {repo}</source>
        <translation>模型 {repo} 中的文件 {file}</translation>
    </message>
    <message>
        <source>Hugging Face offline mode is turned on (HF_HUB_OFFLINE), so Workbench cannot reach the Hub.</source>
        <translation>Hugging Face 离线模式已开启（HF_HUB_OFFLINE），因此 Workbench 无法访问 Hub。</translation>
    </message>
    <message>
        <source>Your access token has not been granted access to the gated model {repo} yet: accept its terms on the model's Hub page and try again.</source>
        <translation>你的访问令牌尚未获得受限模型 {repo} 的访问权限：请在该模型的 Hub 页面上同意使用条款，然后重试。</translation>
    </message>
    <message>
        <source>The model {repo} is gated: accept its terms on the Hub and set an access token in Settings.</source>
        <translation>模型 {repo} 是受限模型：请在 Hub 上同意其使用条款，并在“设置”中填写访问令牌。</translation>
    </message>
    <message>
        <source>{model} was not found; if it is private, set an access token in Settings.</source>
        <translation>找不到{model}；如果它是私有的，请在“设置”中填写访问令牌。</translation>
    </message>
    <message>
        <source>{model} was not found, or your access token cannot see it.</source>
        <translation>找不到{model}，或者你的访问令牌无权查看它。</translation>
    </message>
    <message>
        <source>{model} was not found on the Hub.</source>
        <translation>在 Hub 上找不到{model}。</translation>
    </message>
    <message>
        <source>The revision {revision} of {model} was not found.</source>
        <translation>找不到{model} 的版本 {revision}。</translation>
    </message>
    <message>
        <source>The requested revision of {model} was not found.</source>
        <translation>找不到{model} 的指定版本。</translation>
    </message>
    <message>
        <source>The file {file} was not found in {model}.</source>
        <translation>在{model} 中找不到文件 {file}。</translation>
    </message>
    <message>
        <source>The file was not found in {model}.</source>
        <translation>在{model} 中找不到该文件。</translation>
    </message>
    <message>
        <source>The model name '{repo}' is not valid; Hub names look like owner/model.</source>
        <translation>模型名称“{repo}”无效；Hub 上的名称格式为 owner/model。</translation>
    </message>
    <message>
        <source>The Hub rejected your access token; check it in Settings.</source>
        <translation>Hub 拒绝了你的访问令牌，请在“设置”中检查。</translation>
    </message>
    <message>
        <source>The Hub needs an access token for {subject}; set one in Settings.</source>
        <translation>访问{subject} 需要访问令牌，请在“设置”中填写。</translation>
    </message>
    <message>
        <source>Your access token is not allowed to read {subject}; check its permissions in Settings.</source>
        <translation>你的访问令牌无权读取{subject}，请在“设置”中检查它的权限。</translation>
    </message>
    <message>
        <source>{subject} was not found on the Hub.</source>
        <translation>在 Hub 上找不到{subject}。</translation>
    </message>
    <message>
        <source>The Hub is limiting requests right now; try again in a minute.</source>
        <translation>Hub 当前正在限制请求频率，请 1 分钟后重试。</translation>
    </message>
    <message>
        <source>The Hub is limiting requests right now; try again in 1 second.</source>
        <translation>Hub 当前正在限制请求频率，请 1 秒后重试。</translation>
    </message>
    <message>
        <source>The Hub is limiting requests right now; try again in {seconds} seconds.</source>
        <translation>Hub 当前正在限制请求频率，请 {seconds} 秒后重试。</translation>
    </message>
    <message>
        <source>The Hub had a problem (error {status}) while loading {subject}; try again later.</source>
        <translation>Hub 在加载{subject} 时出现问题（错误 {status}），请稍后重试。</translation>
    </message>
    <message>
        <source>The Hub refused the request for {subject} (error {status}).</source>
        <translation>Hub 拒绝了对{subject} 的请求（错误 {status}）。</translation>
    </message>
    <message>
        <source>The Hub address {endpoint} is not a valid web address.</source>
        <translation>Hub 地址 {endpoint} 不是有效的网址。</translation>
    </message>
    <message>
        <source>The Hub address {endpoint} redirects in a loop; check it in Settings.</source>
        <translation>Hub 地址 {endpoint} 出现循环重定向，请在“设置”中检查。</translation>
    </message>
    <message>
        <source>The Hub at {host} did not answer in time; check your connection and try again.</source>
        <translation>{host} 上的 Hub 没有及时响应，请检查网络连接后重试。</translation>
    </message>
    <message>
        <source>A secure connection to {host} could not be set up; check the Hub address in Settings.</source>
        <translation>无法与 {host} 建立安全连接，请在“设置”中检查 Hub 地址。</translation>
    </message>
    <message>
        <source>Could not connect to {host}; check your internet connection and the Hub address in Settings.</source>
        <translation>无法连接到 {host}，请检查网络连接，以及“设置”中的 Hub 地址。</translation>
    </message>
    <message>
        <source>The connection to {host} was interrupted; try again.</source>
        <translation>与 {host} 的连接中断了，请重试。</translation>
    </message>
    <message>
        <source>The server at {host} did not answer like a Hugging Face Hub; check the Hub address in Settings.</source>
        <translation>{host} 上的服务器的响应不像 Hugging Face Hub，请在“设置”中检查 Hub 地址。</translation>
    </message>
    <message>
        <source>Talking to the Hub about {subject} failed unexpectedly; try again.</source>
        <translation>向 Hub 请求{subject} 时意外失败，请重试。</translation>
    </message>
    <message>
        <source>{name} ({count} parts)</source>
        <translation>{name}（{count} 个分片）</translation>
    </message>
</context>
<context>
    <name>core.hub.probe</name>
    <message>
        <source>The Hub did not answer; check your internet connection, or set a Hub address in Settings › Hub.</source>
        <extracomment>Tests (and people behind other mirrors) name the candidates, comma-separated.</extracomment>
        <translation>Hub 没有响应；请检查网络连接，或在“设置 › Hub”中填写 Hub 地址。</translation>
    </message>
    <message>
        <source>{host} did not answer; check your internet connection, or set a Hub address in Settings › Hub.</source>
        <translation>{host} 没有响应；请检查网络连接，或在“设置 › Hub”中填写 Hub 地址。</translation>
    </message>
    <message>
        <source>Neither {first} nor {second} answered; check your internet connection, or set a Hub address in Settings › Hub.</source>
        <translation>{first} 和 {second} 都没有响应；请检查网络连接，或在“设置 › Hub”中填写 Hub 地址。</translation>
    </message>
    <message>
        <source>None of {hosts} answered; check your internet connection, or set a Hub address in Settings › Hub.</source>
        <translation>{hosts} 都没有响应；请检查网络连接，或在“设置 › Hub”中填写 Hub 地址。</translation>
    </message>
</context>
<context>
    <name>core.keys</name>
    <message>
        <source>API keys kept in this file are protected only by its permissions, so you and any program you run can read them.</source>
        <translation>保存在此文件中的 API 密钥只受文件权限保护，你本人以及你运行的任何程序都能读取。</translation>
    </message>
    <message>
        <source>The API key is empty.</source>
        <translation>API 密钥为空。</translation>
    </message>
    <message>
        <source>That does not look like an API key because it contains spaces or line breaks.</source>
        <translation>这看起来不像 API 密钥，因为其中包含空格或换行。</translation>
    </message>
    <message>
        <source>That does not look like an API key because it contains characters other than plain letters, digits and punctuation.</source>
        <translation>这看起来不像 API 密钥，因为其中包含字母、数字和标点以外的字符。</translation>
    </message>
    <message>
        <source>The key file {path} cannot be read ({reason}).</source>
        <translation>无法读取密钥文件 {path}（{reason}）。</translation>
    </message>
    <message>
        <source>The key file {path} can be read by other users, so it is not used; make it private with “chmod 600” or save the keys again.</source>
        <translation>密钥文件 {path} 可被其他用户读取，因此不会使用；请用“chmod 600”将其设为私有，或重新保存 API 密钥。</translation>
    </message>
    <message>
        <source>The key file {path} belongs to another user, so it is not used.</source>
        <translation>密钥文件 {path} 属于其他用户，因此不会使用。</translation>
    </message>
    <message>
        <source>The key file {path} is damaged; delete it and save the keys again.</source>
        <translation>密钥文件 {path} 已损坏；请删除它，然后重新保存 API 密钥。</translation>
    </message>
    <message>
        <source>No system keychain is available on this computer, so the key cannot be saved; set {variable} for this session or allow keeping API keys in a file in Settings.</source>
        <translation>本机没有可用的系统钥匙串，无法保存 API 密钥；请为本次会话设置 {variable}，或在设置中允许将 API 密钥保存在文件中。</translation>
    </message>
    <message>
        <source>No system keychain is available on this computer, so the key cannot be saved; allow keeping API keys in a file in Settings.</source>
        <translation>本机没有可用的系统钥匙串，无法保存 API 密钥；请在设置中允许将 API 密钥保存在文件中。</translation>
    </message>
</context>
<context>
    <name>core.library</name>
    <message>
        <source>{name} could not be read ({reason}).</source>
        <translation>无法读取 {name}（{reason}）。</translation>
    </message>
    <message>
        <source>The first part, {name}, is missing; download all parts into the same folder.</source>
        <translation>缺少第一个分片 {name}；请把所有分片下载到同一个文件夹中。</translation>
    </message>
    <message>
        <source>The file was moved or deleted; remove it from the library or import it again.</source>
        <translation>文件已被移动或删除；请将它从模型库中移除，或重新导入。</translation>
    </message>
    <message>
        <source>{name} is in the models folder under a hidden or temporary name; rename it to end in .gguf and not start with a dot.</source>
        <translation>{name} 在模型文件夹中使用了隐藏或临时文件名；请将它重命名为以 .gguf 结尾、且不以点开头的名称。</translation>
    </message>
    <message>
        <source>{name} could not be found after importing it.</source>
        <translation>导入后找不到 {name}。</translation>
    </message>
    <message>
        <source>{name} could not be found after copying it.</source>
        <translation>复制后找不到 {name}。</translation>
    </message>
    <message>
        <source>The models folder could not be prepared ({reason}).</source>
        <translation>无法准备模型文件夹（{reason}）。</translation>
    </message>
    <message>
        <source>There is not enough free space to copy {name}: it needs {needed} and only {free} is free.</source>
        <translation>空间不足，无法复制 {name}：需要 {needed}，但只剩 {free} 可用。</translation>
    </message>
    <message>
        <source>The import was cancelled.</source>
        <translation>导入已取消。</translation>
    </message>
    <message>
        <source>Copying {name} failed ({reason}).</source>
        <translation>复制 {name} 失败（{reason}）。</translation>
    </message>
    <message>
        <source>{name} is kept in the Hugging Face cache, so remove it there with the Hugging Face tools.</source>
        <translation>{name} 保存在 Hugging Face 缓存中，请使用 Hugging Face 的工具删除它。</translation>
    </message>
    <message>
        <source>{name} is outside the models folder, so Workbench will not delete it.</source>
        <translation>{name} 不在模型文件夹中，Workbench 不会删除它。</translation>
    </message>
    <message>
        <source>{name} could not be deleted ({reason}).</source>
        <translation>无法删除 {name}（{reason}）。</translation>
    </message>
</context>
<context>
    <name>core.local.embed</name>
    <message>
        <source>llama.cpp cannot make embeddings with an encoder-decoder model like this one; load an embedding model instead.</source>
        <translation>llama.cpp 无法用这类编码器-解码器模型生成嵌入向量；请改为加载嵌入模型。</translation>
    </message>
    <message>
        <source>This model is a reranker, which scores pairs of texts instead of making embeddings; load an embedding model instead.</source>
        <translation>此模型是重排序模型，用于给文本对打分，而不是生成嵌入向量；请改为加载嵌入模型。</translation>
    </message>
    <message>
        <source>llama.cpp could not prepare this model for embeddings; load an embedding model instead.</source>
        <translation>llama.cpp 无法让此模型生成嵌入向量；请改为加载嵌入模型。</translation>
    </message>
    <message>
        <source>Text {number} is empty; there is nothing to embed.</source>
        <translation>第 {number} 段文本为空，没有可生成嵌入向量的内容。</translation>
    </message>
    <message>
        <source>Text {number} is {tokens} tokens, more than the {limit} tokens this model can embed at once; split it into shorter pieces.</source>
        <translation>第 {number} 段文本有 {tokens} 个 Token，超过此模型一次最多可处理的 {limit} 个 Token；请把它拆成更短的几段。</translation>
    </message>
    <message>
        <source>llama.cpp failed while making the embedding (code {code}).</source>
        <translation>llama.cpp 生成嵌入向量时出错（代码 {code}）。</translation>
    </message>
    <message>
        <source>llama.cpp returned no embedding for this model; load an embedding model instead.</source>
        <translation>llama.cpp 没有为此模型返回嵌入向量；请改为加载嵌入模型。</translation>
    </message>
</context>
<context>
    <name>core.local.formats</name>
    <message>
        <source>the file's own template</source>
        <extracomment>the format name that stands for "the file's own chat template" the built-in formats by name, in the order a picker offers them every value of ``LoadOptions.chat_format`` the tokens the GGUF header reader looks for in a vocabulary (see core/gguf_file.py)</extracomment>
        <translation>文件自带的模板</translation>
    </message>
    <message>
        <source>{label} format, as chosen</source>
        <translation>{label} 格式（手动选择）</translation>
    </message>
    <message>
        <source>your own template</source>
        <translation>自定义模板</translation>
    </message>
    <message>
        <source>{label} format, chosen from the model's vocabulary</source>
        <translation>{label} 格式，根据模型词表选择</translation>
    </message>
    <message>
        <source>{label} format, chosen from the model's architecture</source>
        <translation>{label} 格式，根据模型架构选择</translation>
    </message>
    <message>
        <source>{label} format, chosen from the model's name</source>
        <translation>{label} 格式，根据模型名称选择</translation>
    </message>
    <message>
        <source>{label} format, as nothing in the file names its format</source>
        <translation>{label} 格式，因为文件中没有任何信息指明它的格式</translation>
    </message>
    <message>
        <source>Paste a chat template for the custom prompt format.</source>
        <translation>请粘贴一个对话模板，用作自定义提示词格式。</translation>
    </message>
    <message>
        <source>The chat template has an error on line {line}: {error}.</source>
        <translation>对话模板第 {line} 行有错误：{error}。</translation>
    </message>
    <message>
        <source>The chat template refuses a sample conversation: {reason}.</source>
        <translation>对话模板拒绝了示例对话：{reason}。</translation>
    </message>
    <message>
        <source>The chat template failed on a sample conversation: {error}.</source>
        <translation>对话模板处理示例对话时出错：{error}。</translation>
    </message>
    <message>
        <source>The chat template gives an empty prompt for a sample conversation.</source>
        <translation>对话模板为示例对话生成了空的提示词。</translation>
    </message>
</context>
<context>
    <name>core.local.host</name>
    <message>
        <source>No model is loaded; load one first.</source>
        <extracomment>how long a cancelled reply may take to wind down before the process is killed</extracomment>
        <translation>尚未加载模型；请先加载一个模型。</translation>
    </message>
    <message>
        <source>Loading was cancelled.</source>
        <translation>已取消加载。</translation>
    </message>
    <message>
        <source>The model process was killed while loading {name} (often the system running out of memory).</source>
        <extracomment>the prompt format used: "file" (the file's template), a built-in's name, or "custom" why: "file", "chosen", "custom", "vocabulary", "architecture", "name" or "fallback"</extracomment>
        <translation>加载 {name} 时模型进程被终止（通常是系统内存不足）。</translation>
    </message>
    <message>
        <source>The model process was killed while answering (often the system running out of memory).</source>
        <translation>回复时模型进程被终止（通常是系统内存不足）。</translation>
    </message>
    <message>
        <source>llama.cpp stopped with an internal error while loading {name} (a damaged or unsupported model file, or the GPU running out of memory).</source>
        <translation>加载 {name} 时 llama.cpp 因内部错误而停止（模型文件已损坏或不受支持，或显存不足）。</translation>
    </message>
    <message>
        <source>llama.cpp stopped with an internal error while answering (a damaged or unsupported model file, or the GPU running out of memory).</source>
        <translation>回复时 llama.cpp 因内部错误而停止（模型文件已损坏或不受支持，或显存不足）。</translation>
    </message>
    <message>
        <source>The model process crashed while loading {name}.</source>
        <translation>加载 {name} 时模型进程崩溃了。</translation>
    </message>
    <message>
        <source>The model process crashed while answering.</source>
        <translation>回复时模型进程崩溃了。</translation>
    </message>
    <message>
        <source>The model process was stopped by signal {signal} while loading {name}.</source>
        <translation>加载 {name} 时模型进程被信号 {signal} 终止。</translation>
    </message>
    <message>
        <source>The model process was stopped by signal {signal} while answering.</source>
        <translation>回复时模型进程被信号 {signal} 终止。</translation>
    </message>
    <message>
        <source>The model process ended unexpectedly while loading {name} (exit code {code}).</source>
        <translation>加载 {name} 时模型进程意外退出（退出码 {code}）。</translation>
    </message>
    <message>
        <source>The model process ended unexpectedly while answering (exit code {code}).</source>
        <translation>回复时模型进程意外退出（退出码 {code}）。</translation>
    </message>
    <message>
        <source>Load the model again; if it keeps happening, try fewer GPU layers, a shorter context or another file.</source>
        <translation>请重新加载模型；如果问题反复出现，请减少 GPU 层数、缩短上下文长度，或换一个文件。</translation>
    </message>
    <message>
        <source>{problem} {advice}</source>
        <translation>{problem}{advice}</translation>
    </message>
    <message>
        <source>The model process could not be started ({error}); close other programs and try again.</source>
        <translation>无法启动模型进程（{error}）；请关闭其他程序后重试。</translation>
    </message>
    <message>
        <source>The model was unloaded while answering.</source>
        <extracomment>model process logs kept: each process writes its own, the oldest go at the next load</extracomment>
        <translation>模型在回复过程中被卸载了。</translation>
    </message>
</context>
<context>
    <name>core.local.layers</name>
    <message>
        <source>All {total} layers on your GPU (set by hand)</source>
        <extracomment>why a plan chose its layers; the window translates each</extracomment>
        <translation>全部 {total} 层都在 GPU 上（手动设置）</translation>
    </message>
    <message>
        <source>All layers on your GPU (set by hand)</source>
        <translation>所有层都在 GPU 上（手动设置）</translation>
    </message>
    <message>
        <source>{layers} of {total} layers on your GPU (set by hand)</source>
        <translation>{total} 层中 {layers} 层在 GPU 上（手动设置）</translation>
    </message>
    <message>
        <source>{layers} layers on your GPU (set by hand)</source>
        <translation>{layers} 层在 GPU 上（手动设置）</translation>
    </message>
    <message>
        <source>On the CPU (set by hand)</source>
        <translation>在 CPU 上运行（手动设置）</translation>
    </message>
    <message>
        <source>On the CPU — this build of Workbench cannot use your graphics card</source>
        <translation>在 CPU 上运行——这个版本的 Workbench 无法使用你的显卡</translation>
    </message>
    <message>
        <source>Auto: all {total} layers on your GPU</source>
        <translation>自动：全部 {total} 层都在 GPU 上</translation>
    </message>
    <message>
        <source>Auto: {layers} of {total} layers on your GPU, to leave room for a context of {n_ctx} tokens</source>
        <translation>自动：{total} 层中 {layers} 层在 GPU 上，为 {n_ctx} 个 Token 的上下文留出空间</translation>
    </message>
    <message>
        <source>Auto: {layers} of {total} layers on your GPU, as many as loaded last time without running out of graphics memory</source>
        <translation>自动：{total} 层中 {layers} 层在 GPU 上，与上次未出现显存不足时加载的层数相同</translation>
    </message>
    <message>
        <source>Auto: on the CPU — the graphics memory ran out last time</source>
        <translation>自动：在 CPU 上运行——上次显存不足</translation>
    </message>
    <message>
        <source>Auto: on the CPU — this build of Workbench cannot use your graphics card</source>
        <translation>自动：在 CPU 上运行——这个版本的 Workbench 无法使用你的显卡</translation>
    </message>
    <message>
        <source>Auto: on the CPU — no graphics card found</source>
        <translation>自动：在 CPU 上运行——未找到显卡</translation>
    </message>
    <message>
        <source>Auto: on the CPU — the graphics card's free memory could not be read</source>
        <translation>自动：在 CPU 上运行——无法读取显卡的可用显存</translation>
    </message>
    <message>
        <source>Auto: on the CPU — your graphics card has too little free memory for this model</source>
        <translation>自动：在 CPU 上运行——显卡的可用显存不足以运行这个模型</translation>
    </message>
    <message>
        <source>Auto: on the CPU — this file does not say how large its layers are</source>
        <translation>自动：在 CPU 上运行——这个文件没有说明各层的大小</translation>
    </message>
    <message>
        <source>Not enough graphics memory for {tried} layers; loaded with {layers} on the GPU.</source>
        <translation>显存不足以放下 {tried} 层；已改为将 {layers} 层放在 GPU 上加载。</translation>
    </message>
    <message>
        <source>Not enough graphics memory for {tried} layers; loaded on the CPU.</source>
        <translation>显存不足以放下 {tried} 层；已改为在 CPU 上加载。</translation>
    </message>
    <message>
        <source>Not enough graphics memory for all layers; loaded with {layers} on the GPU.</source>
        <translation>显存不足以放下所有层；已改为将 {layers} 层放在 GPU 上加载。</translation>
    </message>
    <message>
        <source>Not enough graphics memory for all layers; loaded on the CPU.</source>
        <translation>显存不足以放下所有层；已改为在 CPU 上加载。</translation>
    </message>
</context>
<context>
    <name>core.local.prompt</name>
    <message>
        <source>This conversation is {tokens} tokens, longer than the model's context of {n_ctx} tokens; leave out its oldest messages, start a new chat, or load the model with a longer context.</source>
        <translation>这段对话有 {tokens} 个 Token，超出了模型 {n_ctx} 个 Token 的上下文；请略去最早的消息、开始新对话，或用更长的上下文重新加载模型。</translation>
    </message>
    <message>
        <source>Your last message is too long for the model's context of {n_ctx} tokens, even with every earlier message left out; shorten it, or load the model with a longer context.</source>
        <translation>即使略去之前的所有消息，你的最后一条消息对模型 {n_ctx} 个 Token 的上下文来说仍然太长；请缩短它，或用更长的上下文重新加载模型。</translation>
    </message>
</context>
<context>
    <name>core.local.worker</name>
    <message>
        <source>llama.cpp could not load {name} ({detail}): the file may use an architecture or quantization this version does not support, or there is not enough memory. Try fewer GPU layers, a shorter context or a smaller model.</source>
        <translation>llama.cpp 无法加载 {name}（{detail}）：文件使用的架构或量化类型可能不受当前版本支持，或者内存不足。请尝试减少 GPU 层数、缩短上下文长度，或换一个更小的模型。</translation>
    </message>
    <message>
        <source>llama.cpp could not load {name}: the file may use an architecture or quantization this version does not support, or there is not enough memory. Try fewer GPU layers, a shorter context or a smaller model.</source>
        <translation>llama.cpp 无法加载 {name}：文件使用的架构或量化类型可能不受当前版本支持，或者内存不足。请尝试减少 GPU 层数、缩短上下文长度，或换一个更小的模型。</translation>
    </message>
    <message>
        <source>Loading {name} failed: {error}</source>
        <translation>加载 {name} 失败：{error}</translation>
    </message>
    <message>
        <source>The prompt is empty; there is nothing to continue.</source>
        <translation>提示词为空，没有可续写的内容。</translation>
    </message>
    <message>
        <source>The prompt is {tokens} tokens, longer than the model's context of {n_ctx} tokens; shorten it, or load the model with a longer context.</source>
        <translation>提示词有 {tokens} 个 Token，超过了模型 {n_ctx} 个 Token 的上下文；请缩短它，或用更长的上下文重新加载模型。</translation>
    </message>
    <message>
        <source>The model's context of {n_ctx} tokens is full; leave out the oldest messages, start a new chat, or load the model with a longer context.</source>
        <translation>模型 {n_ctx} 个 Token 的上下文已满；请略去最早的消息、开始新对话，或用更长的上下文重新加载模型。</translation>
    </message>
    <message>
        <source>The model failed while answering ({error}).</source>
        <translation>模型在回复时出错（{error}）。</translation>
    </message>
    <message>
        <source>This conversation is longer than the model's context of {n_ctx} tokens; start a new chat, shorten it, or load the model with a longer context.</source>
        <translation>这段对话超出了模型 {n_ctx} 个 Token 的上下文；请开始新对话、缩短对话，或用更长的上下文重新加载模型。</translation>
    </message>
    <message>
        <source>The model's chat template could not be applied to this conversation ({error}).</source>
        <translation>无法将模型的对话模板用于这段对话（{error}）。</translation>
    </message>
    <message>
        <source>The model failed while answering: {error}.</source>
        <translation>模型在回复时出错：{error}。</translation>
    </message>
</context>
<context>
    <name>core.logs</name>
    <message>
        <source>warning: cannot write the log file: {error}</source>
        <translation>警告：无法写入日志文件：{error}</translation>
    </message>
</context>
<context>
    <name>core.machine</name>
    <message>
        <source>Install the CUDA variant of the Workbench installer to use it.</source>
        <translation>如需使用，请安装 Workbench 安装程序的 CUDA 版本。</translation>
    </message>
    <message>
        <source>Install the Vulkan variant of the Workbench installer to use it.</source>
        <translation>如需使用，请安装 Workbench 安装程序的 Vulkan 版本。</translation>
    </message>
    <message>
        <source>Install the Metal variant of the Workbench installer to use it.</source>
        <translation>如需使用，请安装 Workbench 安装程序的 Metal 版本。</translation>
    </message>
    <message>
        <source>Reinstall llama-cpp-python on macOS to use it: Metal is enabled there by default.</source>
        <translation>如需使用，请在 macOS 上重新安装 llama-cpp-python：macOS 上默认启用 Metal。</translation>
    </message>
    <message>
        <source>To use it, rebuild with GPU support: {command}</source>
        <translation>如需使用，请重新编译以支持 GPU：{command}</translation>
    </message>
    <message>
        <source>{total} memory ({free} free)</source>
        <translation>内存 {total}（可用 {free}）</translation>
    </message>
    <message>
        <source>no graphics card that Workbench can use; models run on the processor.</source>
        <translation>没有 Workbench 可用的显卡，模型在处理器（CPU）上运行。</translation>
    </message>
    <message>
        <source>models run on the processor.</source>
        <translation>模型在处理器（CPU）上运行。</translation>
    </message>
    <message>
        <source>a graphics card</source>
        <translation>显卡</translation>
    </message>
    <message>
        <source>{gpu}, sharing the memory, used for models.</source>
        <translation>{gpu}，与内存共享，用于运行模型。</translation>
    </message>
    <message>
        <source>{gpu}, sharing the memory, but this build of Workbench cannot use it. {advice}</source>
        <translation>{gpu}，与内存共享，但当前版本的 Workbench 无法使用它。{advice}</translation>
    </message>
    <message>
        <source>{gpu} with {total} ({free} free), used for models.</source>
        <translation>{gpu}，显存 {total}（可用 {free}），用于运行模型。</translation>
    </message>
    <message>
        <source>{gpu} with {total} ({free} free), but this build of Workbench cannot use it. {advice}</source>
        <translation>{gpu}，显存 {total}（可用 {free}），但当前版本的 Workbench 无法使用它。{advice}</translation>
    </message>
</context>
<context>
    <name>core.options</name>
    <message>
        <source>{label} must be set.</source>
        <extracomment>``LoadOptions.gpu_layers`` for "Auto": as many layers as fit in the free GPU memory at load time (see :mod:`workbench.core.local.layers`). A number is a manual choice and wins.</extracomment>
        <translation>必须设置“{label}”。</translation>
    </message>
    <message>
        <source>{label} must be on or off (got {value}).</source>
        <translation>“{label}”只能是开或关（收到的是 {value}）。</translation>
    </message>
    <message>
        <source>{label} must be a whole number (got {value}).</source>
        <translation>“{label}”必须是整数（收到的是 {value}）。</translation>
    </message>
    <message>
        <source>{label} must be text (got {value}).</source>
        <translation>“{label}”必须是文本（收到的是 {value}）。</translation>
    </message>
    <message>
        <source>{label} must be a number (got {value}).</source>
        <translation>“{label}”必须是数字（收到的是 {value}）。</translation>
    </message>
    <message>
        <source>{label} must be a finite number (got {value}).</source>
        <translation>“{label}”必须是有限的数字（收到的是 {value}）。</translation>
    </message>
    <message>
        <source>{label} must be between {low} and {high} (got {value}).</source>
        <translation>“{label}”必须在 {low} 到 {high} 之间（收到的是 {value}）。</translation>
    </message>
    <message>
        <source>GPU layers</source>
        <translation>GPU 层数</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Auto puts as many layers on the GPU as fit; -1 puts every layer there</source>
        <translation>“自动”会把放得下的层都放到 GPU 上；-1 表示把所有层都放到 GPU 上</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>线程数</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>empty = automatic</source>
        <translation>留空 = 自动</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Flash attention</source>
        <translation>Flash Attention</translation>
    </message>
    <message>
        <source>KV cache type</source>
        <translation>KV 缓存类型</translation>
    </message>
    <message>
        <source>Memory-map the model file</source>
        <translation>内存映射模型文件</translation>
    </message>
    <message>
        <source>Lock the model in RAM</source>
        <translation>将模型锁定在内存中</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>empty = random</source>
        <translation>留空 = 随机</translation>
    </message>
    <message>
        <source>Prompt format</source>
        <translation>提示词格式</translation>
    </message>
    <message>
        <source>Custom chat template</source>
        <translation>自定义对话模板</translation>
    </message>
    <message>
        <source>Prompt format must be one of {names} (got {value}).</source>
        <translation>提示词格式必须是 {names} 之一（收到的是 {value}）。</translation>
    </message>
    <message>
        <source>KV cache type must be one of {names} (got {value}).</source>
        <translation>KV 缓存类型必须是 {names} 之一（收到的是 {value}）。</translation>
    </message>
    <message>
        <source>A quantized KV cache needs flash attention turned on.</source>
        <translation>量化的 KV 缓存需要开启 Flash Attention。</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-P</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-K</translation>
    </message>
    <message>
        <source>0 turns it off</source>
        <translation>0 表示关闭</translation>
    </message>
    <message>
        <source>Min-p</source>
        <translation>Min-P</translation>
    </message>
    <message>
        <source>Repeat penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>Maximum reply length (tokens)</source>
        <translation>最大回复长度（Token）</translation>
    </message>
    <message>
        <source>Stop strings</source>
        <translation>停止词</translation>
    </message>
    <message>
        <source>Stop strings must be a list of text.</source>
        <translation>停止词必须是一组文本。</translation>
    </message>
    <message>
        <source>At most {count} stop strings are allowed.</source>
        <translation>最多只能设置 {count} 个停止词。</translation>
    </message>
    <message>
        <source>A stop string cannot be empty.</source>
        <translation>停止词不能为空。</translation>
    </message>
</context>
<context>
    <name>core.presets</name>
    <message>
        <source>The presets file could not be read ({reason}); it was kept as {name} and Workbench starts without presets.</source>
        <translation>无法读取预设文件（{reason}）；已另存为 {name}，Workbench 将在没有预设的情况下启动。</translation>
    </message>
    <message>
        <source>The presets file {path} could not be read ({reason}); Workbench starts without presets.</source>
        <translation>无法读取预设文件 {path}（{reason}）；Workbench 将在没有预设的情况下启动。</translation>
    </message>
    <message>
        <source>The presets file is damaged; it was kept as {name} and Workbench starts without presets.</source>
        <translation>预设文件已损坏；已另存为 {name}，Workbench 将在没有预设的情况下启动。</translation>
    </message>
    <message>
        <source>The presets file {path} is damaged; Workbench starts without presets.</source>
        <translation>预设文件 {path} 已损坏；Workbench 将在没有预设的情况下启动。</translation>
    </message>
    <message>
        <source>The presets file is not in the expected format; it was kept as {name} and Workbench starts without presets.</source>
        <translation>预设文件的格式不正确；已另存为 {name}，Workbench 将在没有预设的情况下启动。</translation>
    </message>
    <message>
        <source>The presets file {path} is not in the expected format; Workbench starts without presets.</source>
        <translation>预设文件 {path} 的格式不正确；Workbench 将在没有预设的情况下启动。</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Precise</source>
        <translation>精确</translation>
    </message>
    <message>
        <source>Creative</source>
        <translation>创意</translation>
    </message>
    <message>
        <source>1 preset in {file} was damaged and was skipped.</source>
        <translation>{file} 中有 1 个预设已损坏，已跳过。</translation>
    </message>
    <message>
        <source>{count} presets in {file} were damaged and were skipped.</source>
        <translation>{file} 中有 {count} 个预设已损坏，已跳过。</translation>
    </message>
    <message>
        <source>A preset needs a name.</source>
        <translation>预设需要一个名称。</translation>
    </message>
    <message>
        <source>A preset name can be at most {count} characters long.</source>
        <translation>预设名称最多 {count} 个字符。</translation>
    </message>
    <message>
        <source>A preset needs a text system prompt and sampling settings.</source>
        <translation>预设需要文本形式的系统提示词和采样设置。</translation>
    </message>
    <message>
        <source>The presets could not be saved ({reason}).</source>
        <translation>无法保存预设（{reason}）。</translation>
    </message>
</context>
<context>
    <name>core.ratings</name>
    <message>
        <source>A vote is one of {outcomes}, not {outcome}.</source>
        <translation>投票结果只能是 {outcomes} 之一，而不是 {outcome}。</translation>
    </message>
    <message>
        <source>A vote compares two different models.</source>
        <translation>一次投票比较的必须是两个不同的模型。</translation>
    </message>
</context>
<context>
    <name>core.secrets</name>
    <message>
        <source>No system keychain is available on this computer, so the secret cannot be saved; set it in the environment instead (for example HF_TOKEN).</source>
        <translation>本机没有可用的系统钥匙串，无法保存密钥信息；请改为在环境变量中设置（例如 HF_TOKEN）。</translation>
    </message>
    <message>
        <source>The system keychain did not answer within {seconds} s while reading a secret; unlock it and try again.</source>
        <translation>读取密钥信息时，系统钥匙串在 {seconds} 秒内没有响应；请解锁钥匙串后重试。</translation>
    </message>
    <message>
        <source>The system keychain failed while reading a secret.</source>
        <translation>读取密钥信息时系统钥匙串出错。</translation>
    </message>
    <message>
        <source>The system keychain did not answer within {seconds} s while saving a secret; unlock it and try again.</source>
        <translation>保存密钥信息时，系统钥匙串在 {seconds} 秒内没有响应；请解锁钥匙串后重试。</translation>
    </message>
    <message>
        <source>The system keychain failed while saving a secret.</source>
        <translation>保存密钥信息时系统钥匙串出错。</translation>
    </message>
    <message>
        <source>The system keychain did not answer within {seconds} s while deleting a secret; unlock it and try again.</source>
        <translation>删除密钥信息时，系统钥匙串在 {seconds} 秒内没有响应；请解锁钥匙串后重试。</translation>
    </message>
    <message>
        <source>The system keychain failed while deleting a secret.</source>
        <translation>删除密钥信息时系统钥匙串出错。</translation>
    </message>
    <message>
        <source>The system keychain is locked; unlock it and try again.</source>
        <translation>系统钥匙串已锁定；请解锁后重试。</translation>
    </message>
    <message>
        <source>The secret is empty.</source>
        <translation>密钥信息为空。</translation>
    </message>
</context>
<context>
    <name>core.server</name>
    <message>
        <source>No model is loaded in Workbench; load one in the chat, then try again.</source>
        <extracomment>A body over the limit is still read (and dropped) up to this much more, so that the client gets its 413 instead of a connection cut while it was still sending.</extracomment>
        <translation>Workbench 中没有加载模型；请先在聊天中加载一个，然后重试。</translation>
    </message>
    <message>
        <source>This server needs an API key: send it as 'Authorization: Bearer KEY'.</source>
        <translation>此服务器需要 API 密钥：请以“Authorization: Bearer KEY”发送。</translation>
    </message>
    <message>
        <source>The API key is not the one this server was given.</source>
        <translation>API 密钥与此服务器设置的不符。</translation>
    </message>
    <message>
        <source>The request is larger than this server accepts ({size} MiB).</source>
        <translation>请求超过了此服务器接受的大小（{size} MiB）。</translation>
    </message>
    <message>
        <source>The request body is not valid JSON (line {line}, column {column}).</source>
        <translation>请求正文不是有效的 JSON（第 {line} 行，第 {column} 列）。</translation>
    </message>
    <message>
        <source>The request body is not UTF-8 JSON.</source>
        <translation>请求正文不是 UTF-8 编码的 JSON。</translation>
    </message>
    <message>
        <source>The request body must be a JSON object.</source>
        <translation>请求正文必须是 JSON 对象。</translation>
    </message>
    <message>
        <source>Workbench could not answer this request; the details are in its log file.</source>
        <translation>Workbench 无法应答此请求；详情见其日志文件。</translation>
    </message>
    <message>
        <source>Cloud models are offered for chat completions only; use the local model here.</source>
        <translation>云端模型只提供聊天补全；这里请使用本地模型。</translation>
    </message>
    <message>
        <source>The model '{model}' is not served here; GET /v1/models lists those that are.</source>
        <translation>这里不提供模型“{model}”；GET /v1/models 会列出提供的模型。</translation>
    </message>
    <message>
        <source>The model '{model}' is not served here.</source>
        <translation>这里不提供模型“{model}”。</translation>
    </message>
    <message>
        <source>JSON mode is offered for the local model only.</source>
        <translation>JSON 模式只对本地模型提供。</translation>
    </message>
    <message>
        <source>There is nothing at {path}; the API is under /v1.</source>
        <translation>{path} 处没有内容；API 位于 /v1 之下。</translation>
    </message>
    <message>
        <source>{method} is not accepted at {path}.</source>
        <translation>{path} 不接受 {method}。</translation>
    </message>
    <message>
        <source>The request could not be answered.</source>
        <translation>无法应答此请求。</translation>
    </message>
    <message>
        <source>Give an address to listen on.</source>
        <extracomment>Clashes with none of the usual local servers: LM Studio 1234, Ollama 11434, llama.cpp's server 8080, vLLM 8000, Jan 1337. The largest request body taken (a long conversation is a few hundred kilobytes).</extracomment>
        <translation>请提供要监听的地址。</translation>
    </message>
    <message>
        <source>The port must be a whole number (got {value}).</source>
        <translation>端口必须是整数（收到 {value}）。</translation>
    </message>
    <message>
        <source>The port must be between 1 and 65535 (got {value}).</source>
        <translation>端口必须在 1 到 65535 之间（收到 {value}）。</translation>
    </message>
    <message>
        <source>Listening on the network needs an API key, so that only the programs you give it to can use your models; set a key or listen on this computer only.</source>
        <translation>在网络上监听需要 API 密钥，这样只有拿到密钥的程序才能使用你的模型；请设置密钥，或只在本机监听。</translation>
    </message>
    <message>
        <source>{origin} is not a web origin; write it like http://localhost:3000.</source>
        <translation>{origin} 不是网页来源；请写成 http://localhost:3000 这样的形式。</translation>
    </message>
    <message>
        <source>The request size limit must be above zero.</source>
        <translation>请求大小上限必须大于零。</translation>
    </message>
    <message>
        <source>The reply failed inside Workbench ({error}).</source>
        <translation>回复在 Workbench 内部失败（{error}）。</translation>
    </message>
    <message>
        <source>The server could not start; the details are in the log file.</source>
        <extracomment>how long ``start()`` waits for uvicorn to say it is serving</extracomment>
        <translation>服务器无法启动；详情见日志文件。</translation>
    </message>
    <message>
        <source>{host} is not an address of this computer; listen on 127.0.0.1 or on the network instead.</source>
        <translation>{host} 不是本机的地址；请改为在 127.0.0.1 或网络上监听。</translation>
    </message>
    <message>
        <source>Port {port} is in use by another program; choose another port or stop that program.</source>
        <translation>端口 {port} 已被其他程序占用；请选择其他端口，或停止那个程序。</translation>
    </message>
    <message>
        <source>This computer does not allow Workbench to listen on port {port}; choose a port above 1024.</source>
        <translation>本机不允许 Workbench 在端口 {port} 上监听；请选择 1024 以上的端口。</translation>
    </message>
    <message>
        <source>'{param}' must be a whole number.</source>
        <extracomment>OpenAI's ranges where they are narrower than Workbench's own</extracomment>
        <translation>“{param}”必须是整数。</translation>
    </message>
    <message>
        <source>'{param}' must be a number.</source>
        <translation>“{param}”必须是数字。</translation>
    </message>
    <message>
        <source>'{param}' must be true or false.</source>
        <translation>“{param}”必须是 true 或 false。</translation>
    </message>
    <message>
        <source>'{param}' must be a string.</source>
        <translation>“{param}”必须是字符串。</translation>
    </message>
    <message>
        <source>'{param}' must be an object.</source>
        <translation>“{param}”必须是对象。</translation>
    </message>
    <message>
        <source>'{param}' must be a list.</source>
        <translation>“{param}”必须是列表。</translation>
    </message>
    <message>
        <source>'{param}' must be between {low} and {high}.</source>
        <translation>“{param}”必须在 {low} 到 {high} 之间。</translation>
    </message>
    <message>
        <source>'stop' must be a string or a list of strings.</source>
        <translation>“stop”必须是字符串或字符串列表。</translation>
    </message>
    <message>
        <source>'stop' may hold at most {count} strings.</source>
        <translation>“stop”最多只能包含 {count} 个字符串。</translation>
    </message>
    <message>
        <source>Only one choice per request is served ('n': 1).</source>
        <translation>每个请求只提供一个候选（'n': 1）。</translation>
    </message>
    <message>
        <source>'{param}' must be a string or a list of text parts.</source>
        <translation>“{param}”必须是字符串或文本片段列表。</translation>
    </message>
    <message>
        <source>Only text parts are understood in '{param}'; this model reads text only.</source>
        <translation>“{param}”中只能理解文本片段；此模型只读取文本。</translation>
    </message>
    <message>
        <source>'messages' is required.</source>
        <translation>必须提供“messages”。</translation>
    </message>
    <message>
        <source>'messages' must not be empty.</source>
        <translation>“messages”不能为空。</translation>
    </message>
    <message>
        <source>'{param}' must be system, developer, user or assistant (tools are not served).</source>
        <translation>“{param}”必须是 system、developer、user 或 assistant（不提供工具调用）。</translation>
    </message>
    <message>
        <source>'response_format.type' must be text or json_object (got {value}).</source>
        <translation>“response_format.type”必须是 text 或 json_object（收到 {value}）。</translation>
    </message>
    <message>
        <source>'prompt' is required.</source>
        <translation>必须提供“prompt”。</translation>
    </message>
    <message>
        <source>'prompt' must be a string (one prompt per request).</source>
        <translation>“prompt”必须是字符串（每个请求一个提示词）。</translation>
    </message>
    <message>
        <source>'input' is required.</source>
        <translation>必须提供“input”。</translation>
    </message>
    <message>
        <source>'input' must be a string or a non-empty list of strings.</source>
        <translation>“input”必须是字符串或非空的字符串列表。</translation>
    </message>
    <message>
        <source>'encoding_format' must be float or base64.</source>
        <translation>“encoding_format”必须是 float 或 base64。</translation>
    </message>
</context>
<context>
    <name>core.settings</name>
    <message>
        <source>The Hub address “{text}” is not a web address; it must start with https:// (or http://), like {example}.</source>
        <translation>Hub 地址“{text}”不是网址；它必须以 https://（或 http://）开头，例如 {example}。</translation>
    </message>
    <message>
        <source>The Hub address is empty; it must start with https:// (or http://), like {example}.</source>
        <translation>Hub 地址为空；它必须以 https://（或 http://）开头，例如 {example}。</translation>
    </message>
    <message>
        <source>The Hub endpoint must not contain “?” or “#”.</source>
        <translation>Hub 地址中不能包含“?”或“#”。</translation>
    </message>
    <message>
        <source>HF_ENDPOINT is set to an unusable value: {reason}</source>
        <translation>HF_ENDPOINT 的值无法使用：{reason}</translation>
    </message>
</context>
<context>
    <name>core.store</name>
    <message>
        <source>Workbench could not create the folder {folder} for its conversation database ({error}); check the permissions and try again.</source>
        <translation>Workbench 无法为对话数据库创建文件夹 {folder}（{error}）；请检查权限后重试。</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>This conversation database was created by a newer version of Workbench; update Workbench to open it.</source>
        <translation>这个对话数据库是由更新版本的 Workbench 创建的；请更新 Workbench 后再打开。</translation>
    </message>
    <message>
        <source>The conversation database was already closed; restart Workbench.</source>
        <translation>对话数据库已经关闭；请重新启动 Workbench。</translation>
    </message>
    <message>
        <source>The conversation database {path} is damaged or is not a Workbench database; move it aside and restart Workbench to start a new one.</source>
        <translation>对话数据库 {path} 已损坏，或者不是 Workbench 的数据库；请把它移到别处，然后重新启动 Workbench 以新建一个。</translation>
    </message>
    <message>
        <source>The conversation database is busy in another program; close other Workbench windows and try again.</source>
        <translation>对话数据库正被另一个程序占用；请关闭其他 Workbench 窗口后重试。</translation>
    </message>
    <message>
        <source>Workbench could not open its conversation database {path}; check that the folder exists and that you may write to it.</source>
        <translation>Workbench 无法打开对话数据库 {path}；请检查文件夹是否存在，以及是否有写入权限。</translation>
    </message>
    <message>
        <source>Workbench could not save to its conversation database {path} because the disk is full or read-only; free some space or fix the permissions and try again.</source>
        <translation>Workbench 无法保存到对话数据库 {path}，因为磁盘已满或为只读；请释放一些空间或修正权限后重试。</translation>
    </message>
    <message>
        <source>Workbench could not read or save conversations in {path} ({error}); restart Workbench and try again.</source>
        <translation>Workbench 无法读取或保存 {path} 中的对话（{error}）；请重新启动 Workbench 后重试。</translation>
    </message>
</context>
<context>
    <name>core.sysmem</name>
    <message>
        <source>{count} GPUs</source>
        <extracomment>True when a GPU tool exists but failed or hung, so there may be a GPU whose free memory is unknown (a missing tool is simply no GPU)</extracomment>
        <translation>{count} 个 GPU</translation>
    </message>
    <message>
        <source>{tool} was not found, so no NVIDIA GPU was detected</source>
        <translation>未找到 {tool}，因此没有检测到 NVIDIA GPU</translation>
    </message>
    <message>
        <source>{tool} did not answer within {seconds} seconds</source>
        <translation>{tool} 在 {seconds} 秒内没有响应</translation>
    </message>
    <message>
        <source>{tool} failed with exit status {status}</source>
        <translation>{tool} 运行失败，退出状态为 {status}</translation>
    </message>
    <message>
        <source>{tool} gave output that could not be read ({error})</source>
        <translation>无法读取 {tool} 的输出（{error}）</translation>
    </message>
    <message>
        <source>free RAM could not be read ({error})</source>
        <translation>无法读取可用内存（{error}）</translation>
    </message>
    <message>
        <source>memory could not be measured ({error})</source>
        <translation>无法测量内存（{error}）</translation>
    </message>
</context>
<context>
    <name>core.units</name>
    <message>
        <source>{hours} h {minutes:02d} min</source>
        <translation>{hours} 小时 {minutes:02d} 分</translation>
    </message>
    <message>
        <source>{minutes} min {seconds:02d} s</source>
        <translation>{minutes} 分 {seconds:02d} 秒</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
</context>
<context>
    <name>selftest</name>
    <message>
        <source>the data folder's window lock could not be taken</source>
        <translation>无法获得数据文件夹的窗口锁</translation>
    </message>
    <message>
        <source>the window did not appear</source>
        <translation>窗口没有出现</translation>
    </message>
    <message>
        <source>the window could not listen for a second start</source>
        <translation>窗口无法监听第二次启动</translation>
    </message>
    <message>
        <source>the model produced no text</source>
        <translation>模型没有生成任何文本</translation>
    </message>
    <message>
        <source>Every check passed.</source>
        <translation>所有检查均已通过。</translation>
    </message>
    <message>
        <source>Checks that failed: {checks} (each one's error says why).</source>
        <translation>未通过的检查：{checks}（原因见各项的 error）。</translation>
    </message>
</context>
</TS>