// page.js - the page around the engine: loads index.<hash>.wasm with a progress bar, shows why it
// could not start, and defines window.splinescope, the interface that host pages, tests and the
// app's own buttons use (docs/embedding.md). Served from the page's own origin, like every script
// of the page: nothing is inline, so a strict Content-Security-Policy can run it (docs/embedding.md,
// "For site administrators").
(function () {
  'use strict';
  var self_script = document.currentScript;
  var overlay = document.getElementById('overlay');
  var progress = document.getElementById('progress');
  var status = document.getElementById('status');
  // The engine's files, relative to the page, from this script's data-engine and data-wasm
  // attributes: scripts/build.sh writes their content-hashed names (index.<hash>.js,
  // index.<hash>.wasm) into index.html, so hosts can cache them for ever.
  var ASSETS = { js: self_script.getAttribute('data-engine') || 'index.js',
                 wasm: self_script.getAttribute('data-wasm') || 'index.wasm',
                 // the training worker's engine (web/worker/)
                 trainer: self_script.getAttribute('data-trainer') || 'trainer.js',
                 trainer_wasm: self_script.getAttribute('data-trainer-wasm') || 'trainer.wasm',
                 // image data, fetched only when a setting asks for it (web/images/)
                 images: { 'fashion-mnist': self_script.getAttribute('data-images') || 'fashion-mnist.bin' } };
  // A sandboxed iframe without allow-same-origin gives the page an opaque origin: every fetch of
  // its own files is then a cross-origin request, and storage throws.
  var OPAQUE_ORIGIN = String(window.origin) === 'null';

  // The page interface: hosts and tests rely on window.splinescope.ready (true after the first
  // drawn frame) and on the 'splinescope:ready' event.
  function call(name, ret, types, args) { return Module.ccall(name, ret, types || [], args || []); }
  function errorOrNull(text) { return text ? text : null; }
  var COLOR_MODES = ['code', 'gradient', 'output', 'class']; // ColorMode, in order
  var EDGE_COLORS = ['mono', 'layer']; // EdgeColour, in order
  var api = window.splinescope = {
    ready: false,
    error: null,
    version: '0.1.0',
    // State: step, losses, accuracies, tiles, view, the session settings (as JSON), ...
    state: function () { return JSON.parse(call('ss_state_json', 'string')); },
    info: function () { return api.state(); },
    play: function () { call('ss_play', null, ['number'], [1]); },
    pause: function () { call('ss_play', null, ['number'], [0]); },
    step: function (n) { call('ss_step', null, ['number'], [n == null ? 1 : n | 0]); },
    run: function (n) { call('ss_run', null, ['number'], [n | 0]); },
    // Trains in the page's own frames from now on instead of the worker (state().training says
    // where training runs): for comparisons and for hosts that want one thread.
    train_in_page: function () { call('ss_train_in_page', null); },
    reset: function () { call('ss_reset', null); },
    new_network: function (seed) { call('ss_new_network', null, ['number'], [seed | 0]); },
    // Settings as a session document (object or JSON text); returns null or the error message.
    apply_session: function (doc) {
      var text = typeof doc === 'string' ? doc : JSON.stringify(
        Object.assign({ format: 'splinescope-session', version: 1 }, doc));
      return errorOrNull(call('ss_apply_session', 'string', ['string'], [text]));
    },
    load_network: function (doc) {
      var text = typeof doc === 'string' ? doc : JSON.stringify(doc);
      return errorOrNull(call('ss_load_network', 'string', ['string'], [text]));
    },
    network: function () { return JSON.parse(call('ss_network_json', 'string')); },
    // Settings with the current weights, as a session document.
    session: function () { return JSON.parse(call('ss_session_json', 'string')); },
    points_csv: function () { return call('ss_points_csv', 'string'); },
    // Removes the points placed by hand (true), or does nothing when there are none (false).
    clear_points: function () { return call('ss_clear_points', 'number') === 1; },
    // Undoes the last point edit (add, remove, clear, import): true, or false when there is none.
    undo_points: function () { return call('ss_undo_points', 'number') === 1; },
    import_points: function (csv) {
      return errorOrNull(call('ss_import_points', 'string', ['string'], [String(csv)]));
    },
    set_view: function (x0, x1, y0, y1) {
      call('ss_set_view', null, ['number', 'number', 'number', 'number'], [x0, x1, y0, y1]);
    },
    set_code_layers: function (layers) { call('ss_set_code_layers', null, ['number'], [layers | 0]); },
    // Tile colours: 'code', 'gradient', 'output' or 'class'; output: the output (logit) shown by
    // 'gradient', 'output' and the 3-D surface. Returns null or the error.
    set_color_mode: function (name, output) {
      var mode = COLOR_MODES.indexOf(String(name));
      if (mode < 0) return 'unknown colour mode "' + name + '" (one of ' + COLOR_MODES.join(', ') + ')';
      call('ss_set_color_mode', null, ['number', 'number'], [mode, output | 0]);
      return null;
    },
    // Edge colours: 'mono' (translucent dark) or 'layer' (each edge in the colour of the hidden
    // layer whose neuron made it). Returns null or the error.
    set_edge_color: function (name) {
      var mode = EDGE_COLORS.indexOf(String(name));
      if (mode < 0) return 'unknown edge colour "' + name + '" (one of ' + EDGE_COLORS.join(', ') + ')';
      call('ss_set_edge_colour', null, ['number'], [mode]);
      return null;
    },
    // The 3-D surface on or off, seen from orbit angles yaw and pitch (radians; omit to keep).
    set_view_3d: function (on, yaw, pitch) {
      call('ss_set_view_3d', null, ['number', 'number', 'number'],
           [on ? 1 : 0, yaw == null ? NaN : +yaw, pitch == null ? NaN : +pitch]);
    },
    set_overlays: function (edges, boundary, points) {
      call('ss_set_overlays', null, ['number', 'number', 'number'],
           [edges ? 1 : 0, boundary ? 1 : 0, points ? 1 : 0]);
    },
    // Show snapshot i of the training timeline (-1: the live network); state().snapshots counts them.
    replay: function (index) { call('ss_replay', null, ['number'], [index | 0]); },
    // true: exact tiles as polygons (default, within the tile budget); false: per-pixel shader.
    set_render_exact: function (exact) { call('ss_set_render_exact', null, ['number'], [exact ? 1 : 0]); },
    // Draw neuron `unit` of hidden layer `layer` (1-based; 0: none) as its bent hyperplane.
    highlight_neuron: function (layer, unit) {
      call('ss_set_highlight', null, ['number', 'number'], [layer | 0, unit | 0]);
    },
    // Pin the Inspector window on the input-plane point (x, y) (what P does under the cursor);
    // without arguments: close it. state().inspector describes it.
    pin_inspector: function (x, y) {
      var on = x != null && y != null;
      call('ss_pin_inspector', null, ['number', 'number', 'number'], [on ? 1 : 0, on ? +x : 0, on ? +y : 0]);
    },
    compare_codes: function (width, height, layers) {
      return JSON.parse(call('ss_compare_codes', 'string', ['number', 'number', 'number'],
                             [width | 0, height | 0, layers == null ? -1 : layers | 0]));
    },
    // The state as URL keys ("data=moons&layers=8,8"; docs/embedding.md lists them).
    url_state: function () { return call('ss_url_state', 'string'); },
    // Applies URL keys (query, fragment or both) over the defaults; returns the notes (strings).
    load_url: function (text) {
      return JSON.parse(call('ss_load_address', 'string', ['string'], [String(text)]));
    },
    lessons: function () { return JSON.parse(call('ss_lessons_json', 'string')); },
    // Opens a lesson as the Lessons window does: the browser's Back returns to the setup before it.
    // null, or the error for an unknown id.
    open_lesson: function (id) {
      return call('ss_open_lesson', 'number', ['string'], [String(id)]) === 1 ? null
        : 'unknown lesson "' + id + '" (splinescope.lessons() lists them)';
    },
    share_link: function () { return call('ss_share_link', 'string'); },
    embed_snippet: function () { return call('ss_embed_snippet', 'string'); },
    _copy: function (text) {
      function fallback() {
        var area = document.createElement('textarea');
        area.value = text;
        area.style.position = 'fixed';
        area.style.opacity = '0';
        document.body.appendChild(area);
        area.select();
        try { document.execCommand('copy'); } catch (e) { }
        document.body.removeChild(area);
      }
      if (navigator.clipboard && navigator.clipboard.writeText)
        navigator.clipboard.writeText(text).catch(fallback);
      else fallback();
    },
    _first_frame: function () {
      engine_running = true;
      restoreAfterContextLoss();
      api.ready = true;
      overlay.style.display = 'none';
      window.dispatchEvent(new CustomEvent('splinescope:ready'));
      host.ready();
      live_region();
    }
  };

  // The live region (index.html #live) reads what a sighted user sees, politely: the step, the
  // losses, the accuracy, the tile count, and the lesson when one opens. While training it
  // changes at most every 5 s; a lesson opening, or training starting or stopping, is read at once.
  function live_region() {
    var live = document.getElementById('live');
    if (!live || live_region.started) return;
    live_region.started = true;
    var lessons = {};
    api.lessons().forEach(function (l) { lessons[l.id] = l; });
    var last = { text: '', at: 0, playing: null, lesson: null };
    function figure(v) {
      return typeof v !== 'number' || !isFinite(v) ? 'not known' : Math.abs(v) >= 0.001 ? v.toFixed(3) : v.toExponential(1);
    }
    setInterval(function () {
      if (api.error || !engine_running) return;
      var s = api.state();
      var parts = [(s.playing ? 'Training' : 'Paused') + ' at step ' + s.step + '.',
                   'Loss ' + figure(s.train_loss) + ' on the training points, ' + figure(s.test_loss) +
                   ' on the test points.'];
      if (isFinite(s.test_accuracy)) parts.push('Test accuracy ' + Math.round(100 * s.test_accuracy) + ' percent.');
      parts.push(s.tiles + (s.tiles_exact ? ' tiles.' : ' tiles, counted on a grid.'));
      if (s.autoplay_held) parts.push('Press Play (Space) to start training.');
      var lesson = s.lesson !== last.lesson && lessons[s.lesson];
      if (lesson) parts.unshift('Lesson: ' + lesson.title + '. ' + lesson.caption);
      var text = parts.join(' '), now = Date.now();
      var at_once = s.playing !== last.playing || s.lesson !== last.lesson;
      if (text !== last.text && (at_once || now - last.at >= 5000)) {
        live.textContent = text;
        last = { text: text, at: now, playing: s.playing, lesson: s.lesson };
      }
    }, 1000);
  }

  // The page interface fails soft: after a failed start every call returns the start-up error
  // (api.error), and before the engine runs it returns a sentence saying so, instead of throwing.
  // Names starting with '_' are the app's own hooks and stay as they are.
  var engine_running = false;
  var LOADING = 'SplineScope is still loading: wait for splinescope.ready or the splinescope:ready event.';
  api._guard_methods = function (methods) {
    Object.keys(methods).forEach(function (name) {
      var f = methods[name];
      api[name] = typeof f !== 'function' || name.charAt(0) === '_' ? f : function () {
        if (api.error) return api.error;
        if (!engine_running) return LOADING;
        return f.apply(api, arguments);
      };
    });
  };
  api._guard_methods(api);

  // Editing the address's fragment (or a host page changing an iframe's src fragment) loads it, and
  // so does the browser's Back or Forward (after a lesson pushed an entry). Both events may come
  // for one change: they are handled once, after the task that fired them.
  var address_pending = false;
  function address_changed() {
    if (address_pending) return;
    address_pending = true;
    setTimeout(function () {
      address_pending = false;
      if (api.ready) api.load_url(location.hash);
    }, 0);
  }
  window.addEventListener('hashchange', address_changed);
  window.addEventListener('popstate', address_changed);

  // Host pages drive an embedded SplineScope with postMessage (docs/embedding.md):
  //   commands  { splinescope: 'play' | 'pause' | 'reset' | 'state' }
  //             { splinescope: 'step', steps: n }   { splinescope: 'load', state: 'data=moons&...' }
  //   events    { splinescope: 'ready' | 'step' | 'state' | 'loaded' | 'error', ... }
  // 'step' events carry step, train and test loss and accuracy and the tile count, at most four
  // times a second while the step count changes.
  var host = (function () {
    var target = window.parent !== window ? window.parent : null;
    var lastStep = -1;
    function summary() {
      var s = api.state();
      return { step: s.step, epoch: s.epoch, playing: s.playing, train_loss: s.train_loss,
               test_loss: s.test_loss, train_accuracy: s.train_accuracy,
               test_accuracy: s.test_accuracy, tiles: s.tiles, diverged: s.diverged,
               training: s.training.thread,
               state: s.url_state };
    }
    function post(event, extra) {
      if (!target) return;
      target.postMessage(Object.assign({ splinescope: event }, extra || {}), '*');
    }
    var commands = {
      play: function () { api.play(); },
      pause: function () { api.pause(); },
      reset: function () { api.reset(); },
      step: function (m) {
        var n = Number(m.steps == null ? 1 : m.steps);
        if (!isFinite(n) || n < 0) throw new Error('steps must be a number of steps');
        api.step(Math.min(100000, Math.floor(n)));
      },
      load: function (m) {
        if (typeof m.state !== 'string') throw new Error('load needs a state string of URL keys');
        post('loaded', { notes: api.load_url(m.state) });
      },
      state: function () { }
    };
    window.addEventListener('message', function (e) {
      var m = e.data;
      if (!m || typeof m !== 'object' || typeof m.splinescope !== 'string') return;
      if (target && e.source !== target) return;
      var command = commands[m.splinescope];
      try {
        if (!api.ready) throw new Error('SplineScope is still loading');
        if (!command) throw new Error('unknown command ' + m.splinescope);
        command(m);
        post('state', summary());
      } catch (err) {
        post('error', { command: String(m.splinescope), message: String(err && err.message || err) });
      }
    });
    return {
      ready: function () {
        post('ready', summary());
        setInterval(function () {
          if (!target || !api.ready) return;
          var s = summary();
          if (s.step === lastStep) return;
          lastStep = s.step;
          post('step', s);
        }, 250);
      }
    };
  })();

  // A lost WebGL context (driver reset, GPU switch, too many contexts) invalidates every GPU
  // object. When the browser restores the context, the page saves the session (settings, weights,
  // points placed by hand, view) and reloads; the new page puts it all back.
  var RESTORE_KEY = 'splinescope:restore';
  var canvas = document.getElementById('canvas');
  canvas.addEventListener('contextmenu', function (e) { e.preventDefault(); });
  // sessionStorage, or null where the page may not use it (a sandboxed frame without
  // allow-same-origin throws on the first touch, a browser may refuse storage to embedded pages).
  function session_storage() {
    try { return window.sessionStorage || null; } catch (e) { return null; }
  }
  canvas.addEventListener('webglcontextlost', function (e) {
    e.preventDefault(); // ask the browser to restore the context
    status.textContent = 'The graphics context was lost. Restoring…';
    document.getElementById('loading').style.display = 'block';
    overlay.style.display = 'flex';
  }, false);
  canvas.addEventListener('webglcontextrestored', function () {
    var storage = session_storage();
    try {
      var s = api.state();
      if (storage) storage.setItem(RESTORE_KEY, JSON.stringify({
        session: api.session(), points: api.points_csv(), view: s.view, code_layers: s.code_layers,
        color_mode: s.color_mode, output_index: s.output_index, view_3d: s.view_3d, orbit: s.orbit,
        edge_color: s.edge_color
      }));
    } catch (e) { /* nothing saved: the page starts fresh */ }
    location.reload();
  }, false);
  function restoreAfterContextLoss() {
    var storage = session_storage(), saved = null;
    try { saved = storage && JSON.parse(storage.getItem(RESTORE_KEY) || 'null'); } catch (e) { }
    if (!saved) return;
    try { storage.removeItem(RESTORE_KEY); } catch (e) { }
    var problems = [api.apply_session(saved.session), api.import_points(saved.points || '')]
      .filter(Boolean);
    if (saved.view) api.set_view(saved.view[0], saved.view[1], saved.view[2], saved.view[3]);
    if (saved.code_layers > 0) api.set_code_layers(saved.code_layers);
    if (saved.color_mode) api.set_color_mode(saved.color_mode, saved.output_index);
    if (saved.view_3d) api.set_view_3d(true, saved.orbit[0], saved.orbit[1]);
    if (saved.edge_color) api.set_edge_color(saved.edge_color);
    call('ss_notify', null, ['string'], [problems.length
      ? 'The graphics context was lost; restoring the session failed: ' + problems.join('; ')
      : 'The graphics context was lost and restored; your session was kept.']);
  }

  // Shows why the page cannot start. hint: what the reader can do (default: the browser's needs).
  // api.error holds both.
  function fail(message, hint) {
    if (api.error) return;
    api.error = String(message) + (hint ? ' ' + hint : '');
    document.getElementById('loading').style.display = 'none';
    document.getElementById('error').style.display = 'block';
    document.getElementById('error-text').textContent = String(message);
    if (hint) document.querySelector('#error .hint').textContent = hint;
    overlay.style.display = 'flex';
    window.dispatchEvent(new CustomEvent('splinescope:error', { detail: api.error }));
  }
  window.splinescope_fail = fail;

  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
    fail('This browser does not support WebAssembly.');
    return;
  }
  var probe = document.createElement('canvas').getContext('webgl2');
  if (!probe) {
    fail('WebGL2 is not available in this browser.');
    return;
  }
  var lose = probe.getExtension('WEBGL_lose_context');
  if (lose) lose.loseContext();

  function setProgress(fraction, text) {
    progress.style.width = Math.round(100 * Math.min(1, fraction)) + '%';
    if (text) status.textContent = text;
  }

  // What a Content-Security-Policy blocked while the page was starting. Only enforced policies
  // count, and only what the page cannot start without: WebAssembly ('wasm-eval') and its own files.
  var ADMIN_HINT = 'The site\'s administrator can fix this; docs/embedding.md ("For site ' +
                   'administrators") gives the smallest policy SplineScope needs.';
  var blocked_wasm = false, engine_compiled = false;
  document.addEventListener('securitypolicyviolation', function (e) {
    if (api.ready || e.disposition !== 'enforce') return;
    var uri = String(e.blockedURI || ''), directive = String(e.effectiveDirective || e.violatedDirective);
    if (uri === 'wasm-eval' || (uri === 'eval' && !engine_compiled)) {
      blocked_wasm = true;
      fail('This site\'s Content-Security-Policy does not allow WebAssembly, which SplineScope\'s ' +
           'engine is: its script-src directive needs \'wasm-unsafe-eval\'.', ADMIN_HINT);
      return;
    }
    var names = [ASSETS.js, ASSETS.wasm, 'page.', 'files.'];
    for (var i = 0; i < names.length; ++i) {
      if (uri.indexOf(names[i]) >= 0) {
        fail('This site\'s Content-Security-Policy blocked ' + uri.replace(/^.*\//, '') +
             ' (directive ' + directive + '); SplineScope needs its own files from \'self\'.', ADMIN_HINT);
        return;
      }
    }
  });

  // Why a download or compile of the engine failed, in words a reader can act on.
  function load_failure(e) {
    var reason = e && e.message ? e.message : String(e);
    if (blocked_wasm || /Content.Security.Policy|wasm-unsafe-eval|blocked by CSP/i.test(reason)) {
      return ['This site\'s Content-Security-Policy does not allow WebAssembly, which SplineScope\'s ' +
              'engine is: its script-src directive needs \'wasm-unsafe-eval\'.', ADMIN_HINT];
    }
    if (OPAQUE_ORIGIN && e instanceof TypeError) {
      return ['SplineScope runs in a sandboxed frame without allow-same-origin, so fetching its ' +
              'engine (' + ASSETS.wasm + ') is a cross-origin request, and the server did not allow ' +
              'it (' + reason + ').',
              'Two fixes, either one: the server sends the header "Access-Control-Allow-Origin: *" ' +
              'with SplineScope\'s files, or the embedding page adds allow-same-origin to the ' +
              'iframe\'s sandbox attribute (sandbox="allow-scripts allow-same-origin").'];
    }
    return ['The engine could not be loaded (' + reason + ').', null];
  }

  // Fetches a file as an ArrayBuffer, calling progress(received, total) as its bytes arrive
  // (total: the Content-Length; without one, or without a stream, the whole file at once). The
  // engine's wasm comes this way, and the image data (web/images/image_loader.cpp).
  function fetch_with_progress(file, progress) {
    return fetch(file).then(function (response) {
      if (!response.ok) throw new Error(file + ': HTTP ' + response.status);
      var total = Number(response.headers.get('Content-Length')) || 0;
      if (!response.body || !total) return response.arrayBuffer();
      var reader = response.body.getReader(), chunks = [], received = 0;
      return (function pump() {
        return reader.read().then(function (part) {
          if (part.done) {
            var bytes = new Uint8Array(received), offset = 0;
            chunks.forEach(function (c) { bytes.set(c, offset); offset += c.length; });
            return bytes.buffer;
          }
          chunks.push(part.value);
          received += part.value.length;
          progress(received, total);
          return pump();
        });
      })();
    });
  }

  // Download the wasm with a progress bar, then compile it.
  function instantiate(imports, receive) {
    fetch_with_progress(ASSETS.wasm, function (received, total) {
      setProgress(0.9 * received / total, 'Loading the engine… ' +
                  Math.round(received / 1024) + ' / ' + Math.round(total / 1024) + ' KB');
    }).then(function (buffer) {
      setProgress(0.95, 'Compiling…');
      return WebAssembly.instantiate(buffer, imports);
    }).then(function (result) {
      engine_compiled = true;
      setProgress(1, 'Starting…');
      receive(result.instance, result.module);
    }).catch(function (e) {
      var why = load_failure(e);
      fail(why[0], why[1]);
    });
    return {};
  }

  window.Module = {
    canvas: document.getElementById('canvas'),
    instantiateWasm: instantiate,
    trainerScript: ASSETS.trainer,
    trainerWasm: ASSETS.trainer_wasm,
    imageAssets: ASSETS.images,
    fetchWithProgress: fetch_with_progress,
    print: function (text) { console.log(text); },
    printErr: function (text) { console.warn(text); },
    onAbort: function (what) { fail('The engine stopped: ' + what); }
  };
  window.addEventListener('error', function (e) {
    if (!api.ready) fail(e.message || 'a script error occurred');
  });

  var script = document.createElement('script');
  script.src = ASSETS.js;
  script.onerror = function () { fail(ASSETS.js + ' could not be loaded.'); };
  document.body.appendChild(script);
})();
