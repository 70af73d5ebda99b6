<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name />
    <message>
        <source>left out of the latest reply</source>
        <extracomment>The key, in a view item's stats, of a message the latest reply did not see (left out so that the conversation fits the context); set by the chat controller, never saved.</extracomment>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{0} tokens</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{0:.1f} tok/s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>first token {0:.2f} s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>left out the oldest message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>left out the {0} oldest messages</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Edit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Regenerate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The reply failed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stopped.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This reply was interrupted; the text above is what was saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting for the model to load; sent when it is ready.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>[image: %1]</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>AnswersTab</name>
    <message>
        <source>Blind</source>
        <extracomment>the widgets the page uses by name</extracomment>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show the answers as A, B, … in a random order until you vote</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Next round to vote on</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ask every model the same thing — Enter sends, Shift+Enter adds a line</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Send to all</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stop all</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Compare models side by side</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ask 2 to 4 models the same question — models on this computer, cloud models, or both — and read their answers side by side. Blind mode hides the names until you vote, and your votes build a leaderboard.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New comparison…</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <source>Stop the reply before starting a new chat.</source>
        <extracomment>A new conversation is titled with the start of its first message. Reply error kinds after which the local model is gone: the next reply must ask for a load. The view id of a message waiting for the model to load (saved ones have positive ids).</extracomment>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New chat</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stop the reply before switching chats.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Load a model first: choose one in the panel on the right and press Load.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose a model for {name} on the right.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Loading {name}…; your message is sent when it is ready.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The model answered with nothing. Its prompt format may not fit: try another format in the model panel.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ChatPage</name>
    <message>
        <source>Model</source>
        <extracomment>How long a transient notice stays, in milliseconds.</extracomment>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show or hide the model panel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show or hide the model panel (Ctrl+Shift+M)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Model panel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Notice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Leave out the oldest messages</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Answer again without the oldest messages of this chat; later replies in this chat leave them out too.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Send message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stop the reply</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose a model first: pick one in the panel on the right, or find one in Discover.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The model cannot be loaded with these options; see the panel.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Message copied.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Wait for the reply to finish, or press Stop.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your message was not sent; it is back in the message box.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Editing a message: Enter sends it as a new version, Esc cancels.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{name} does not take this setting; it is not sent.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{loaded} is answering; Load to switch to {chosen}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Load</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Conversation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copy message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Previous version</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Next version</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show or hide reasoning</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>CloudBackends</name>
    <message>
        <source>The provider {0} is no longer set up; add it again in Settings › Providers.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no key for {0} yet: add it in Settings › Providers.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>CompareController</name>
    <message>
        <source>Something went wrong; the log file has the details.</source>
        <extracomment>the job queue of the compare page's reads and writes: one at a time, in the order asked</extracomment>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Checking memory…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>These local models don't fit in memory together, so they answer one after the other.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Loading the model…</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ComparePage</name>
    <message>
        <source>Answers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Table</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Prompt sets</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Leaderboard</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New comparison</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete comparison</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete the comparison “{0}” and its answers? Votes already cast stay in the leaderboard.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Wait for the answers being written, or press Stop all.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{0} models, hidden until you vote</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Press “New comparison” first to choose the models.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Writing…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stopped</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Prompt {0} of {1}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The prompt set was cancelled after {0} prompts; the answers so far are kept.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The prompt set is done. Vote on each round blind here, or double-click a row in the Table tab.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The prompt set is done; the Table tab shows every answer.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ComparePane</name>
    <message>
        <source>price unknown — &lt;a href='prices'&gt;set it in Settings › Prices&lt;/a&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Regenerate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Answer {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This answer failed; why is shown after the vote.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Write a message — Enter sends, Shift+Enter adds a line</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ComputerPage</name>
    <message>
        <source>Measure again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Graphics card</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This build</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Measuring…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This computer could not be measured: {reason}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{total} ({free} free now)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{name}: {total} ({free} free)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>None found that Workbench can use</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Can put models on a graphics card</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Runs models on the processor only</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ConversationFilterModel</name>
    <message>
        <source>The search failed because of an internal error: {0}</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message>
        <source>Last updated {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This chat no longer exists; it was not renamed.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>DiscoverPage</name>
    <message>
        <source>Search GGUF models on the Hub, e.g. qwen3 4b</source>
        <extracomment>Catalogue models listed under the recommendation when the search is empty.</extracomment>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Search the Hub</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sort results by</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Most downloaded</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Most liked</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Recently updated</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Search results</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>More results</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Context length used for the fit estimate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KV cache type used for the fit estimate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fit for context</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>tokens, KV cache</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Model files</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Download</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show downloads</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hub: {host} (&lt;a href='settings'&gt;change&lt;/a&gt;)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Finding models that suit this computer…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Suggested for this computer — or search above</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Recommended</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Smaller</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Larger</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{kind}: {name} — {fit}
{repo} · {size}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{name}
{repo} · licence: {licence}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Searching…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Loading more results…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No GGUF models match this search.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{n} models shown.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{n} downloads</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{n} likes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>updated {date}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>gated</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose a model on the left</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reading the repository…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{name} — vision projector (used with a model)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>In library · {size}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This repository has no GGUF files.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Some split models are missing parts and are not offered: {names}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{n} parameters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>context {n:,}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>licence: {l}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not stated</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>gated: accept the terms on the Hub and set a token</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>private</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>checking…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{ram} free RAM · {gpu}: {vram} free</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{ram} free RAM · no GPU found</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>In library · Chat with it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Download {size}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{name} is in the download queue.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>DownloadsView</name>
    <message>
        <source>No downloads. Find models on the Discover page.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>GpuLayersControl</name>
    <message>
        <source>Auto</source>
        <extracomment>spin box range while the model's layer count is unknown (its top still means "all")</extracomment>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose the GPU layers automatically</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>GPU layers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>on the CPU — this build of Workbench cannot use your graphics card</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Auto: on the CPU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Auto: as many layers on your GPU as fit, chosen when the model loads</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Auto: all %n layers on your GPU</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
    <message numerus="yes">
        <source>Auto: {on} of %n layers on your GPU, to leave room for a context of {ctx} tokens</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
    <message numerus="yes">
        <source>Auto: {on} of %n layers on your GPU, as many as loaded last time without running out of graphics memory</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
    <message>
        <source>Auto: on the CPU — the graphics memory ran out last time</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Auto: {where}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Auto: on the CPU — no graphics card found</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Auto: on the CPU — the graphics card's free memory could not be read</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Auto: on the CPU — your graphics card has too little free memory for this model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Auto: on the CPU — this file does not say how large its layers are</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>On the CPU — this build of Workbench cannot use your graphics card</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>On the CPU (0 layers on the GPU)</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>All %n layers on the GPU</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
    <message>
        <source>All layers on the GPU</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>{on} of %n layers on the GPU</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
    <message numerus="yes">
        <source>%n layers on the GPU</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
</context>
<context>
    <name>HubSession</name>
    <message>
        <source>The system keychain could not be used.</source>
        <extracomment>The job queue of the system keychain: one read or write at a time, in the order asked.</extracomment>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>JobRow</name>
    <message>
        <source>Pause</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel download</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel this download and delete what has been downloaded so far?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{name}: {pct:.0f} % downloaded</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting for another download of this file to finish · {amounts}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{amounts} · {speed}/s · {eta} left</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting · {amounts}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Checking the file against the Hub's checksum…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Paused · {amounts}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Done · verified · in your library</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The download failed.</source>
        <translation type="unfinished" />
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
    <name>LeaderboardView</name>
    <message>
        <source>Show votes with this tag</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>All tags</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Tag:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Leaderboard</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The rating is a Bradley–Terry fit on the Elo scale: a model 100 points above another is expected to win about 64 % of the time. The interval comes from refitting on votes resampled at random; a wide one means more votes are needed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Export votes…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save the votes shown as a CSV file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Export ratings…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save the ratings shown as a CSV file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The ratings could not be computed; the log file has the details.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No votes yet. Vote in a blind comparison and the ratings appear here.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No votes carry the tag “{tag}” yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>1 vote</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{count} votes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>1 model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{count} models</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{votes} between {models}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Export votes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Export ratings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saving {name}…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved {path}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Workbench could not save {path} ({reason}); choose another folder and try again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The file could not be saved; the log file has the details.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>LibraryPage</name>
    <message>
        <source>Import…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add a GGUF file from this computer (or drop files on this page)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Models on this computer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Use in chat</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show in folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Downloads</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Models folder: {folder}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Something went wrong; the details are in the log file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unusable</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{n} models.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No models yet: download one on the Discover page, or import a file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove from library…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove {name} from the library? The file itself stays where it is.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete {name} ({size}{parts}) from this computer?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>, {n} files</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Import model files</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Import models</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copy the file into your models folder, or use it where it is?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copy the {n} files into your models folder, or use them where they are?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Use in place</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Importing…</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>LoadStatus</name>
    <message>
        <source>Load</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Load the model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unload</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unload the model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel loading</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Loading progress</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Model status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not loaded</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Model error</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Loaded {name} in {seconds:.1f} s — context {tokens} tokens</source>
        <translation type="unfinished" />
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
        <translation type="unfinished" />
    </message>
    <message>
        <source>Chat</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Compare</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Discover</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Library</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open the settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;New chat</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Open model file…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Find chats</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>C&amp;ompare</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Discover</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Library</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Load</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Unload</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Stop reply</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open the &amp;logs folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;About Workbench</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open a model file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>About Workbench</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Workbench {version}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Chat with models on this computer or through cloud services. Data folder: {folder}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Library ({n} downloading)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{name} is downloaded, verified and in your library.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Chat with it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A download failed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Workbench closed while loading {name} last time, so it is not loaded again now; press Load to try.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ModelController</name>
    <message>
        <source>Loading failed unexpectedly: {0} (details are in the log file).</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ModelFilePicker</name>
    <message>
        <source>Model file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No models yet — choose a file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Browse for a model file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Model details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose a model file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reading the file…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Workbench could not read this file ({error}).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown architecture</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{count} parameters</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n layers</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
    <message>
        <source>trained context {tokens} tokens</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>Model</source>
        <extracomment>The sampling controls always in view; the others are under Advanced. Load options with controls of their own, not in the Advanced form.</extracomment>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Loading</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reload hint</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reload the model to apply these changes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Advanced</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Advanced settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>More load options (context, threads, cache) and sampling controls</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sampling</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sampling error</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reset</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reset sampling to defaults</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>System prompt</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Optional instructions for the model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Needs flash attention</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose a model file first.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>NewComparisonDialog</name>
    <message>
        <source>New comparison</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose 2 to 4 models. Each gets the same prompts and keeps its own conversation; local models and cloud models can be mixed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add a model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Optional; the first prompt otherwise</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>e.g. coding, Chinese (comma-separated)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Blind: show the answers as A, B, … in a random order until I vote</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose a model in every row, or remove the empty row.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The model file {0} was not found.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>PresetsBox</name>
    <message>
        <source>Presets</source>
        <extracomment>the settings a preset holds, as the panel shows them: (sampling dict, system prompt)</extracomment>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Preset</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose a preset</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save as a preset</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete the preset</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Preset name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>OK</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save the preset</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Do not save the preset</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Preset message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved the preset “{name}”.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Deleted the preset “{name}”.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>PricesPage</name>
    <message>
        <source>Model (or prefix*)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Input $/M tokens</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Output $/M tokens</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Costs are estimates from this table (US dollars per million tokens). Check your provider's price page; servers on your own machine cost nothing.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A price needs a model name and two numbers of 0 or more.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>PromptFormatControl</name>
    <message>
        <source>Prompt format</source>
        <extracomment>lines of the template box</extracomment>
        <translation type="unfinished" />
    </message>
    <message>
        <source>How a conversation is written out for the model. Automatic uses the file's own chat template, or a format chosen from the file when it has none.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Automatic</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Custom template</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Custom chat template</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Paste a Jinja chat template, e.g. from the model's tokenizer_config.json</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Prompt format in use</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>In use: {format}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>After loading again: {format}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>When loaded: {format}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the file's own chat template.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{name} format, as chosen.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>your own template.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{name} format, chosen from the model's vocabulary (the file has no chat template).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{name} format, chosen from the model's architecture (the file has no chat template).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{name} format, chosen from the model's name (the file has no chat template).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{name} format: the file has no chat template and nothing in it names a format. If replies are empty or odd, pick the model's format here.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>PromptSetsView</name>
    <message>
        <source>Prompt sets</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New prompt set</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>e.g. Coding questions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>e.g. coding, Chinese (comma-separated)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>One prompt per line.

For prompts longer than a line, put a line with only --- between prompts.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Run…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose the models, then every prompt is sent to each of them in turn.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{0} prompts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Something went wrong; the log file has the details.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete prompt set</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete the prompt set “{0}”? Runs already made are kept.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ProvidersPage</name>
    <message>
        <source>Providers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Provider name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Base URL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>API key</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Paste a new key to save or replace it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save key</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete key</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Keep the key in a file in Workbench's data folder, readable only by you</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Without this, the key is used until you close Workbench. With it, the key stays after a restart; the file is protected only by its permissions, so any program you run can read it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove provider</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove {name} and delete its key? Your chats stay.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add a provider to chat with a cloud model.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Get a key: &lt;a href='{url}'&gt;{url}&lt;/a&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A key is saved in the system keychain.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A key is saved in Workbench's key file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A key is in use until you close Workbench; it is not saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The key comes from {env} in the environment.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the environment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A server on your own machine usually needs no key.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No key yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This computer has no system keychain, the protected place where programs keep passwords. You can still paste the key above.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Or set {env} before you start Workbench.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Paste a key first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ReplyRunner</name>
    <message>
        <source>The reply ended without a result.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ReviewTab</name>
    <message>
        <source>Double-click a row to see its answers in full and vote on them.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ReviewTableModel</name>
    <message>
        <source>Prompt</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Vote</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Answer {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(no answer)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stopped</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Writing…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not voted</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>tie</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>all bad</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>best: {0}</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>SessionListModel</name>
    <message>
        <source>blind</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>prompt set</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>SessionSidebar</name>
    <message>
        <source>Comparisons</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New comparison</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Providers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Prices</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This computer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hugging Face Hub</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>huggingface.co (default)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>hf-mirror.com — a mirror that is reachable from mainland China</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Another address:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hub address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Also send my access token to addresses other than huggingface.co</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Access token (for gated and private models)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hugging Face access token</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save token</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete token</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Models folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Downloads go here; files already in it are listed in the Library.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>At start</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Load the last model at start</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>General</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>HF_ENDPOINT is set to {env}; it is used until you choose an address here.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Paste a token first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saving in the system keychain…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Deleting…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>HF_TOKEN from the environment is used.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No system keychain is available on this computer, so Workbench cannot keep a token; set HF_TOKEN in the environment instead.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A token is saved in the system keychain.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No token: public models only. Create one on the Hub under Settings → Access Tokens.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The models folder cannot be created: {reason}</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>New chat</source>
        <extracomment>How long the undo bar stays, in seconds (tests shorten it).</extracomment>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Search chats</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Clear search</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No chats match</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Chats</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Deleted chat</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Undo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Undo delete</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Deleted “{0}”.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This chat can no longer be restored.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Chat actions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rename</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>SourcePanel</name>
    <message>
        <source>Where replies come from</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Chat with</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cloud model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose or type a model ID</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ask the provider for its list of models</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Test connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connection status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This computer (local model)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add a provider…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Asking for the list of models…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{n} models available.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The provider listed no models; type the model ID.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Testing…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&lt;a href='settings'&gt;Settings&lt;/a&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Key: in the system keychain ({link}).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Key: from the environment, for this session ({link}).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Key: in Workbench's key file ({link}).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Key: in use until you close Workbench, not saved ({link}).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No key needed for a server on your own machine ({link}).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reading the key…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No key yet: add it in {link}.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>StandingsModel</name>
    <message>
        <source>Model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rating</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>95 % interval</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Wins</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Losses</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ties</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Games</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Where the rating lies with 95 % confidence: the ratings were refitted on votes resampled at random, and this range holds 95 % of them. A wide range means more votes are needed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bradley–Terry rating on the Elo scale: 100 points ahead means about a 64 % chance to win.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ties, including answers judged all bad.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pairwise games: a best answer among four counts as three wins.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Judged in 1 vote</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Judged in {count} votes</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>StarterFinder</name>
    <message>
        <source>Finding a model failed unexpectedly; the details are in the log file.</source>
        <extracomment>Set to "0" to start on the chat page whatever the rule says (automation, tests). The window-state key that remembers the welcome page is done with.</extracomment>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>TargetLabels</name>
    <message>
        <source>{0} on this computer</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>TargetRow</name>
    <message>
        <source>This computer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Temperature</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Maximum reply length (tokens)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>More…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Length</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose a model file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Model ID, e.g. gpt-4o-mini</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>TargetSettingsDialog</name>
    <message>
        <source>Target settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Optional instructions sent before every prompt</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>System prompt</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>VoteBar</name>
    <message>
        <source>Which answer is better?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Tie</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Both bad</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{0} is better</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{0} is best</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>All bad</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Which answer is best?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{0} was {1}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>You chose {0}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>You called it a tie.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>You found them all bad.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>WelcomeFlow</name>
    <message>
        <source>Hello! What can you help me with? Please answer in two sentences.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Welcome to Workbench</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Chat with AI models on this computer or through a cloud service.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Run a model on this computer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Free and private: we pick a model that fits and download it for you.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Use a cloud service</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>OpenAI, DeepSeek, Qwen or any compatible service, with your API key.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>I already have a model file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open a .gguf file from this computer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Skip</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Skip the welcome page</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Download progress</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Back</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Download and chat</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open a model file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Looking at this computer…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Finding a model that fits and a Hub address that answers…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Trying again…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This computer: {line}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No model in the catalogue fits this computer; you can still search the Hub or use a cloud service.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Recommended</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Smaller</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Larger</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>runs on the graphics card</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>partly on the graphics card</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>runs on the processor</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>may not fit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{kind}: {name} — {size}, {fit}
languages: {languages} · licence: {licence}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Models come from {host} (&lt;a href='settings'&gt;change&lt;/a&gt;)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Downloading {name}…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The download failed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Checking the download…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Downloading: {done} of {total}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Downloaded; opening the chat…</source>
        <translation type="unfinished" />
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
    <name>self.view</name>
    <message>
        <source>You</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Assistant</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>System prompt</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thinking…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thought for {0} s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reasoning</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Code copied.</source>
        <translation type="unfinished" />
    </message>
</context>
</TS>