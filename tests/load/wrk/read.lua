-- A closed-loop reader for feeds-under-writes.sh: a plain GET of the URL given to wrk, over and over (no
-- If-None-Match, like a naive poller), and the RESULT line at the end (summary.lua).
package.path = (os.getenv("LUA_DIR") or ".") .. "/?.lua;" .. package.path
require "summary"
done = summary_done
