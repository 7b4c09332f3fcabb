// The layout explorer (explorer/layouts.md): every weight array, gate block, parameter count
// and shape of a Keras 3 or PyTorch 2 layer, computed here from the configuration.
// `WeightAtlasExplorer.layout(config)` is a pure function; tests/test_explorer.py compares it
// with what real layers report (results/explorer/layouts.py) over a whole grid of
// configurations, and with layers built in the test for random ones outside it.
(function () {
  "use strict";

  const DEFAULTS = {
    framework: "keras", layer: "lstm", features: 5, units: 3, timesteps: 7, kernel_size: 3,
    bidirectional: false, layers: 1, bias: true, return_sequences: true, reset_after: true,
    strides: 1, dilation: 1, padding: "valid", groups: 1, depth_multiplier: 1,
    data_format: "channels_last",
  };
  const LIMIT = 4096; // the largest size the form accepts
  const MAX_LAYERS = 8;
  const RECURRENT = ["simple_rnn", "lstm", "gru"];
  const NAMES = {
    simple_rnn: { keras: "SimpleRNN", pytorch: "nn.RNN" },
    lstm: { keras: "LSTM", pytorch: "nn.LSTM" },
    gru: { keras: "GRU", pytorch: "nn.GRU" },
    dense: { keras: "Dense", pytorch: "nn.Linear" },
    conv1d: { keras: "Conv1D", pytorch: "nn.Conv1d" },
    locally_connected: { keras: "LocallyConnected1D", pytorch: "LocallyConnected1d" },
    embedding: { keras: "Embedding", pytorch: "nn.Embedding" },
    conv2d: { keras: "Conv2D", pytorch: "nn.Conv2d" },
    conv3d: { keras: "Conv3D", pytorch: "nn.Conv3d" },
    conv1d_transpose: { keras: "Conv1DTranspose", pytorch: "nn.ConvTranspose1d" },
    conv2d_transpose: { keras: "Conv2DTranspose", pytorch: "nn.ConvTranspose2d" },
    conv3d_transpose: { keras: "Conv3DTranspose", pytorch: "nn.ConvTranspose3d" },
    depthwise_conv1d: { keras: "DepthwiseConv1D", pytorch: "nn.Conv1d(groups=in)" },
    depthwise_conv2d: { keras: "DepthwiseConv2D", pytorch: "nn.Conv2d(groups=in)" },
    separable_conv1d: { keras: "SeparableConv1D", pytorch: "two nn.Conv1d" },
    separable_conv2d: { keras: "SeparableConv2D", pytorch: "two nn.Conv2d" },
  };
  // Each convolution's family and number of spatial axes (results/explorer/layouts.py
  // builds the same layers: a depthwise one in PyTorch is a Conv with groups=in_channels,
  // a separable one that Conv without bias, then a 1 x 1 Conv).
  const CONVOLUTIONS = {
    conv1d: ["conv", 1], conv2d: ["conv", 2], conv3d: ["conv", 3],
    conv1d_transpose: ["transpose", 1], conv2d_transpose: ["transpose", 2],
    conv3d_transpose: ["transpose", 3],
    depthwise_conv1d: ["depthwise", 1], depthwise_conv2d: ["depthwise", 2],
    separable_conv1d: ["separable", 1], separable_conv2d: ["separable", 2],
  };
  const familyOf = (layer) => (CONVOLUTIONS[layer] || [null])[0];
  const rankOf = (layer) => (CONVOLUTIONS[layer] || [null, 1])[1];
  // Gate blocks in storage order, as the site's proofs find them (linked from PROOFS).
  const GATE_ORDER = {
    keras: { simple_rnn: ["h"], lstm: ["i", "f", "c", "o"], gru: ["z", "r", "h"] },
    pytorch: { simple_rnn: ["h"], lstm: ["i", "f", "g", "o"], gru: ["r", "z", "n"] },
  };
  const GATE_NAMES = {
    i: "input gate", f: "forget gate", c: "cell candidate", g: "cell candidate",
    o: "output gate", z: "update gate", r: "reset gate", h: "candidate", n: "candidate",
  };
  // Where the site proves each part (relative to this page's URL).
  const PROOFS = {
    "keras/lstm": "../../lstm/weights/#gate-order",
    "pytorch/lstm": "../../lstm/weights/#pytorch",
    "keras/gru": "../../rnn/gru/#gate-order",
    "pytorch/gru": "../../pytorch/recurrent-layers/#gru-gate-order",
    "keras/simple_rnn": "../../rnn/simple-rnn/#equation",
    "pytorch/simple_rnn": "../../rnn/simple-rnn/#pytorch",
    names: "../../pytorch/recurrent-layers/#num-layers",
    weight_list: "../../rnn/bidirectional-and-stacked/#weight-list",
    reset_after: "../../rnn/gru/#reset-after",
    counts: "../../reference/parameter-counts/",
    next_layer: "../../rnn/bidirectional-and-stacked/#next-layer",
    shapes: "../../rnn/units-and-shapes/#shapes",
    return_state: "../../rnn/units-and-shapes/#return-state",
    batch_first: "../../pytorch/recurrent-layers/#batch-first",
    last_step: "../../convert/keras-pytorch/#last-step",
    convert: "../../convert/keras-pytorch/#use",
    refused: "../../convert/keras-pytorch/#reset-after",
    not_recurrent: "../../convert/keras-pytorch/#not-recurrent",
    dense: "../../layers/dense/",
    embedding: "../../layers/dense/#embedding",
    conv_layout: "../../layers/convolutions/",
    conv_padding: "../../layers/convolutions/#same",
    bias_bug: "../../layers/convolutions/#bias-bug",
    conv_transposed: "../../layers/convolutions/#transposed",
    conv_depthwise: "../../layers/convolutions/#depthwise",
    conv_groups: "../../layers/convolutions/#groups",
    install: "../../convert/keras-pytorch/#install",
    locally_connected: "../../layers/locally-connected/#keras-3-layer",
    unfold: "../../layers/locally-connected/#unfold",
    converter: "../../snippets/convert/recurrent.py",
    keras3_layer: "../../snippets/layers/keras3_layer.py",
    unfold_layer: "../../snippets/layers/unfold_layer.py",
  };
  const SIZES = ["features", "units", "timesteps", "kernel_size", "layers", "strides", "dilation",
                 "groups", "depth_multiplier"];
  const FLAGS = ["bidirectional", "bias", "return_sequences", "reset_after"];
  const CHOICES = { padding: ["valid", "same"], data_format: ["channels_last", "channels_first"] };

  // --- Which options a layer reads -------------------------------------------------------
  function applies(config) {
    const recurrent = RECURRENT.includes(config.layer);
    const keras = config.framework === "keras";
    const family = familyOf(config.layer);
    return {
      units: family !== "depthwise",
      kernel_size: family !== null || config.layer === "locally_connected",
      bidirectional: recurrent, layers: recurrent,
      bias: !["locally_connected", "embedding"].includes(config.layer),
      return_sequences: recurrent && keras,
      reset_after: keras && config.layer === "gru",
      strides: family !== null, dilation: family !== null, padding: family !== null,
      groups: family === "conv" || (family === "transpose" && !keras),
      depth_multiplier: family === "depthwise" || family === "separable",
      data_format: family !== null && keras,
    };
  }

  function asFlag(value) {
    if (typeof value === "boolean") return value;
    return !["false", "0", "off", "no", ""].includes(String(value).toLowerCase());
  }

  // A full configuration: known values parsed, the defaults for what is missing or does
  // not apply to the layer (as results/explorer/layouts.py writes the grid).
  function normalize(raw) {
    const config = { ...DEFAULTS };
    raw = raw || {};
    if (raw.framework in GATE_ORDER) config.framework = raw.framework;
    if (raw.layer in NAMES) config.layer = raw.layer;
    for (const key of SIZES) {
      if (raw[key] === undefined || raw[key] === "") continue;
      const value = Number(raw[key]);
      config[key] = Number.isFinite(value) ? Math.round(value) : NaN;
    }
    for (const key of FLAGS) if (raw[key] !== undefined) config[key] = asFlag(raw[key]);
    for (const [key, values] of Object.entries(CHOICES)) {
      if (values.includes(raw[key])) config[key] = raw[key];
    }
    const used = applies(config);
    for (const key of Object.keys(used)) if (!used[key]) config[key] = DEFAULTS[key];
    return config;
  }

  // What the libraries refuse, the explorer refuses with the reason; tests/test_explorer.py
  // checks it against configurations that Keras or PyTorch refused.
  function problem(config) {
    const largest = { layers: MAX_LAYERS };
    for (const key of SIZES) {
      const most = largest[key] || LIMIT;
      if (!Number.isInteger(config[key]) || config[key] < 1 || config[key] > most) {
        return `${key.replace("_", " ")} must be a whole number from 1 to ${most}.`;
      }
    }
    if (config.layer === "locally_connected" && config.kernel_size > config.timesteps) {
      return "The kernel is longer than the sequence: kernel size must be at most timesteps.";
    }
    const family = familyOf(config.layer), keras = config.framework === "keras";
    if (family === null) return null;
    const span = config.dilation * (config.kernel_size - 1) + 1;
    if (keras && ["conv", "transpose"].includes(family) && config.strides > 1 &&
        config.dilation > 1) {
      return "Keras refuses strides above 1 together with dilation above 1 in this layer " +
        "(ValueError): set one of them to 1.";
    }
    if (family !== "transpose" && config.padding === "valid" && span > config.timesteps) {
      return `The dilated kernel spans ${span} steps, more than the input's ${config.timesteps}: ` +
        'with padding "valid" there is no output (both libraries raise). Use "same" or a smaller kernel.';
    }
    if (!keras && family === "transpose" && config.padding === "same") {
      return 'PyTorch\'s transposed convolutions take no padding="same" (TypeError): their ' +
        "padding is a number of outputs cropped. Choose valid here.";
    }
    if (!keras && family !== "transpose" && config.padding === "same" && config.strides > 1) {
      return 'PyTorch refuses padding="same" with strides above 1 (ValueError): pad by ' +
        "hand, as the convolutions page shows, or set strides to 1.";
    }
    if (applies(config).groups) {
      const units = family === "transpose" && !keras ? "units (out_channels)" : "units (filters)";
      if (config.features % config.groups) {
        return `groups (${config.groups}) must divide the input features (${config.features}).`;
      }
      if (config.units % config.groups) {
        return `groups (${config.groups}) must divide the ${units} (${config.units}).`;
      }
    }
    if (config.layer === "locally_connected" && config.framework === "pytorch" &&
        (config.features !== 1 || config.units !== 1)) {
      return "The site's PyTorch locally connected layer reads one channel and has one " +
        "filter: set input features and units to 1, or choose Keras 3.";
    }
    return null;
  }

  // --- Formulas: written once as text, evaluated here and shown filled in ----------------
  function evaluate(formula, values) {
    const tokens = formula.match(/\d+|[a-zA-Z_]+|[-+*/()]/g);
    let at = 0;
    const next = () => tokens[at++];
    function atom() {
      const token = next();
      if (token === "(") { const value = sum(); next(); return value; }
      if (/^\d+$/.test(token)) return Number(token);
      if (!(token in values)) throw new Error(`unknown name ${token} in ${formula}`);
      return values[token];
    }
    function product() {
      let value = atom();
      while (tokens[at] === "*" || tokens[at] === "/") {
        if (next() === "*") value *= atom();
        else {
          const divisor = atom();
          if (value % divisor) throw new Error(`${value} / ${divisor} in ${formula} is not whole`);
          value /= divisor;
        }
      }
      return value;
    }
    function sum() {
      let value = product();
      while (tokens[at] === "+" || tokens[at] === "-") {
        value = next() === "+" ? value + product() : value - product();
      }
      return value;
    }
    return sum();
  }

  // One direction of one layer; `factor` multiplies all of it ("2 * " for two directions).
  function recurrentTerm(factor, gates, bias, input) {
    const biasTerm = bias === 0 ? "" : bias === 1 ? " + u" : ` + ${bias} * u`;
    const core = `u * (${input} + u)${biasTerm}`;
    if (gates > 1) return `${factor}${gates} * (${core})`;
    return factor && biasTerm ? `${factor}(${core})` : `${factor}${core}`;
  }

  // A convolution's count: its kernel volume (k once per spatial axis) times its channels.
  function convolutionFormula(config) {
    const family = familyOf(config.layer), keras = config.framework === "keras";
    const volume = Array(rankOf(config.layer)).fill("k").join(" * ");
    const grouped = config.groups > 1;
    let weights, bias;
    if (family === "conv") {
      weights = `${volume} * ${grouped ? "(d / g)" : "d"} * u`;
      bias = "u";
    } else if (family === "transpose") {
      weights = keras ? `${volume} * u * d` : `d * ${grouped ? "(u / g)" : "u"} * ${volume}`;
      bias = "u";
    } else if (family === "depthwise") {
      weights = `${volume} * d * m`;
      bias = "d * m";
    } else {
      weights = `${volume} * d * m + d * m * u`;
      bias = "u";
    }
    return config.bias ? `${weights} + ${bias}` : weights;
  }

  function formulaOf(config) {
    const kind = config.layer;
    if (kind === "dense") return config.bias ? "d * u + u" : "d * u";
    if (kind === "embedding") return "d * u";
    if (kind in CONVOLUTIONS) return convolutionFormula(config);
    if (kind === "locally_connected") {
      return config.framework === "keras" ? "L * (k * d * u + u)" : "L * (k + 1)";
    }
    const gates = GATE_ORDER[config.framework][kind].length;
    let biases = 0;
    if (config.bias) {
      const two = config.framework === "pytorch" || (kind === "gru" && config.reset_after);
      biases = two ? 2 : 1;
    }
    const directions = config.bidirectional ? 2 : 1;
    const times = directions === 2 ? "2 * " : "";
    let formula = recurrentTerm(times, gates, biases, "d");
    if (config.layers > 1) {
      const input = directions === 2 ? "2 * u" : "u";
      const more = config.layers - 1;
      formula += " + " + recurrentTerm((more > 1 ? `${more} * ` : "") + times, gates, biases, input);
    }
    return formula;
  }

  function sizesOf(config) {
    return { d: config.features, u: config.units, k: config.kernel_size, T: config.timesteps,
             L: config.timesteps - config.kernel_size + 1, g: config.groups,
             m: config.depth_multiplier };
  }

  // The length of each spatial axis of a convolution's output (every input axis has
  // `timesteps`). Keras pads a transposed convolution's "valid" output to strides × T
  // when the dilated kernel is shorter than the stride; PyTorch does not.
  function convolutionLength(config) {
    const T = config.timesteps, s = config.strides, keras = config.framework === "keras";
    const span = config.dilation * (config.kernel_size - 1) + 1;
    if (familyOf(config.layer) === "transpose") {
      if (config.padding === "same") return T * s;
      return keras ? T * s + Math.max(span - s, 0) : (T - 1) * s + span;
    }
    if (config.padding === "same") return Math.ceil(T / s);
    return Math.floor((T - span) / s) + 1;
  }

  // --- The layout -----------------------------------------------------------------------
  function blocks(order, axis) {
    return order.length > 1 ? { axis, gates: order.slice() } : null;
  }

  function kerasRecurrent(config) {
    const kind = config.layer, u = config.units, order = GATE_ORDER.keras[kind];
    const columns = order.length * u, directions = config.bidirectional ? 2 : 1;
    const arrays = [];
    for (let index = 0; index < config.layers; index++) {
      const input = index === 0 ? config.features : directions * u;
      const sides = config.bidirectional ? ["forward", "backward"] : [null];
      for (const side of sides) {
        const layer = side ? `bidirectional_${index}/${side}_${kind}_${index}` : `${kind}_${index}`;
        const path = `model/${layer}/${kind}_cell/`;
        arrays.push({ name: path + "kernel", shape: [input, columns], blocks: blocks(order, 1) });
        arrays.push({ name: path + "recurrent_kernel", shape: [u, columns], blocks: blocks(order, 1) });
        if (config.bias) {
          const twoRows = kind === "gru" && config.reset_after;
          arrays.push({ name: path + "bias", shape: twoRows ? [2, columns] : [columns],
                        blocks: blocks(order, twoRows ? 1 : 0) });
        }
      }
    }
    const width = directions * u;
    const output = config.return_sequences ? ["batch", config.timesteps, width] : ["batch", width];
    const perDirection = kind === "lstm" ? 2 : 1;
    const states = Array.from({ length: directions * perDirection }, () => ["batch", u]);
    return { arrays, gate_order: order.slice(), input_shape: ["batch", config.timesteps, config.features],
             output_shape: output, state_shapes: states, without_batch_first: null };
  }

  function torchRecurrent(config) {
    const kind = config.layer, u = config.units, order = GATE_ORDER.pytorch[kind];
    const rows = order.length * u, directions = config.bidirectional ? 2 : 1;
    const arrays = [];
    for (let index = 0; index < config.layers; index++) {
      const input = index === 0 ? config.features : directions * u;
      for (const suffix of config.bidirectional ? ["", "_reverse"] : [""]) {
        const end = `_l${index}${suffix}`;
        arrays.push({ name: `weight_ih${end}`, shape: [rows, input], blocks: blocks(order, 0) });
        arrays.push({ name: `weight_hh${end}`, shape: [rows, u], blocks: blocks(order, 0) });
        if (config.bias) {
          arrays.push({ name: `bias_ih${end}`, shape: [rows], blocks: blocks(order, 0) });
          arrays.push({ name: `bias_hh${end}`, shape: [rows], blocks: blocks(order, 0) });
        }
      }
    }
    const state = [config.layers * directions, "batch", u];
    // The shapes are those of batch_first=True, as the code below builds the layer;
    // PyTorch's default, batch_first=False, puts the timesteps first. The states stay.
    return { arrays, gate_order: order.slice(),
             input_shape: ["batch", config.timesteps, config.features],
             output_shape: ["batch", config.timesteps, directions * u],
             state_shapes: kind === "lstm" ? [state, state.slice()] : [state],
             without_batch_first: {
               input_shape: [config.timesteps, "batch", config.features],
               output_shape: [config.timesteps, "batch", directions * u] } };
  }

  function convolution(config) {
    const { d, u, k, g, m } = sizesOf(config);
    const family = familyOf(config.layer), n = rankOf(config.layer);
    const keras = config.framework === "keras";
    const kernel = Array(n).fill(k), ones = Array(n).fill(1);
    const out = family === "depthwise" ? d * m : u;
    const named = (shapes) => shapes
      .filter(([name]) => config.bias || !name.endsWith("bias"))
      .map(([name, shape]) => ({ name: keras ? `model/${config.layer}_0/${name}` : name,
                                 shape, blocks: null }));
    let arrays;
    if (keras) {
      arrays = named({
        conv: [["kernel", [...kernel, d / g, u]], ["bias", [u]]],
        transpose: [["kernel", [...kernel, u, d]], ["bias", [u]]],
        depthwise: [["kernel", [...kernel, d, m]], ["bias", [d * m]]],
        separable: [["depthwise_kernel", [...kernel, d, m]],
                    ["pointwise_kernel", [...ones, d * m, u]], ["bias", [u]]],
      }[family]);
    } else {
      arrays = named({
        conv: [["weight", [u, d / g, ...kernel]], ["bias", [u]]],
        transpose: [["weight", [d, u / g, ...kernel]], ["bias", [u]]],
        depthwise: [["weight", [d * m, 1, ...kernel]], ["bias", [d * m]]],
        separable: [["0.weight", [d * m, 1, ...kernel]], ["1.weight", [u, d * m, ...ones]],
                    ["1.bias", [u]]],
      }[family]);
    }
    const spatial = Array(n).fill(config.timesteps);
    const length = Array(n).fill(convolutionLength(config));
    const last = keras && config.data_format === "channels_last";
    return { arrays, gate_order: [],
             input_shape: last ? ["batch", ...spatial, d] : ["batch", d, ...spatial],
             output_shape: last ? ["batch", ...length, out] : ["batch", out, ...length],
             state_shapes: [], without_batch_first: null };
  }

  function other(config) {
    const { d, u, k, T, L } = sizesOf(config);
    const keras = config.framework === "keras";
    if (config.layer in CONVOLUTIONS) return convolution(config);
    if (config.layer === "embedding") {
      return { arrays: [{ name: keras ? "model/embedding_0/embeddings" : "weight", shape: [d, u],
                          blocks: null }],
               gate_order: [], input_shape: ["batch", T], output_shape: ["batch", T, u],
               state_shapes: [], without_batch_first: null };
    }
    const named = (prefix, shapes) => Object.entries(shapes)
      .filter(([name]) => config.bias || !name.startsWith("bias"))
      .map(([name, shape]) => ({ name: prefix + name, shape, blocks: null }));
    let arrays, input, output;
    if (config.layer === "dense") {
      arrays = keras ? named("model/dense_0/", { kernel: [d, u], bias: [u] })
        : named("", { weight: [u, d], bias: [u] });
      input = ["batch", T, d];
      output = ["batch", T, u];
    } else {
      arrays = keras ? named("model/locally_connected_0/", { kernel: [L, k * d, u], bias: [L, u] })
        : named("", { weight: [L, k], bias: [L] });
      input = keras ? ["batch", T, d] : ["batch", T];
      output = keras ? ["batch", L, u] : ["batch", L];
    }
    return { arrays, gate_order: [], input_shape: input, output_shape: output, state_shapes: [],
             without_batch_first: null };
  }

  function layout(raw) {
    const config = normalize(raw);
    const error = problem(config);
    if (error) return { config, error };
    let answer;
    if (RECURRENT.includes(config.layer)) {
      answer = config.framework === "keras" ? kerasRecurrent(config) : torchRecurrent(config);
    } else {
      answer = other(config);
    }
    const formula = formulaOf(config);
    answer.parameters = evaluate(formula, sizesOf(config));
    answer.formula = formula;
    answer.config = config;
    return answer;
  }

  // --- Code that splits the arrays and converts them ---------------------------------------
  const pyBool = (flag) => (flag ? "True" : "False");
  const tuple = (shape) => `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;
  const numeric = (shape) => shape.map((size) => (size === "batch" ? 2 : size));

  function kerasLayerCode(config, index) {
    const kind = config.layer, keras = NAMES[kind].keras, last = index === config.layers - 1;
    const options = [`${config.units}`];
    if (!config.bias) options.push("use_bias=False");
    if (kind === "gru" && !config.reset_after) options.push("reset_after=False");
    if (!last || config.return_sequences) options.push("return_sequences=True");
    options.push(`name="${kind}_${index}"`);
    const inner = `keras.layers.${keras}(${options.join(", ")})`;
    if (!config.bidirectional) return `    ${inner},`;
    return `    keras.layers.Bidirectional(\n        ${inner},\n` +
      `        name="bidirectional_${index}",\n    ),`;
  }

  function splitLines(answer, keras) {
    const order = answer.gate_order;
    if (order.length < 2) return [];
    const lines = [];
    const perDirection = answer.arrays.length /
      (answer.config.layers * (answer.config.bidirectional ? 2 : 1));
    for (const array of answer.arrays.slice(0, perDirection)) {
      const base = array.name.split("/").pop();
      const prefix = keras ? { kernel: "W", recurrent_kernel: "U", bias: "b" }[base]
        : { weight_ih_l0: "W_i", weight_hh_l0: "W_h", bias_ih_l0: "b_i", bias_hh_l0: "b_h" }[base];
      const names = order.map((gate) => (keras ? `${prefix}_${gate}` : `${prefix}${gate}`));
      const source = keras ? `weights["${array.name}"]` : `arrays["${array.name}"]`;
      lines.push(`${names.join(", ")} = np.split(`);
      lines.push(`    ${source},`);
      lines.push(`    ${order.length}, axis=${array.blocks.axis},`);
      const blockShape = array.shape.slice();
      blockShape[array.blocks.axis] = answer.config.units;
      lines.push(`)  # each ${tuple(blockShape)}`);
      lines.push(`assert ${names[0]}.shape == ${tuple(blockShape)}`);
    }
    return lines;
  }

  // The generated code's checks of every array's shape (in `name`, a dict of arrays) and
  // of the count, as `count` computes it.
  function shapeChecks(answer, name, count) {
    return [`assert [a.shape for a in ${name}.values()] == [`,
            ...answer.arrays.map((array) => `    ${tuple(array.shape)},`), "]",
            `assert ${count} == ${answer.parameters}`];
  }

  // A call on one line when it fits in 88 characters, else one argument per line.
  function call(start, args, indent = "") {
    const line = `${indent}${start}(${args.join(", ")})`;
    if (line.length <= 88) return [line];
    return [`${indent}${start}(`, ...args.map((arg) => `${indent}    ${arg},`), `${indent})`];
  }

  // The Keras layer of a convolution or an Embedding, with the options that differ from
  // Keras' defaults, named as the explorer names it.
  function kerasLayerArgs(config) {
    const family = familyOf(config.layer);
    if (config.layer === "embedding") return [`${config.features}`, `${config.units}`];
    const args = family === "depthwise" ? [] : [`${config.units}`];
    args.push(`${config.kernel_size}`);
    if (config.strides > 1) args.push(`strides=${config.strides}`);
    if (config.dilation > 1) args.push(`dilation_rate=${config.dilation}`);
    if (config.padding !== "valid") args.push(`padding="${config.padding}"`);
    if (config.groups > 1) args.push(`groups=${config.groups}`);
    if (config.depth_multiplier > 1) args.push(`depth_multiplier=${config.depth_multiplier}`);
    if (config.data_format !== "channels_last") args.push(`data_format="${config.data_format}"`);
    if (!config.bias) args.push("use_bias=False");
    return args;
  }

  function torchConvArgs(config, inputs, outputs, groups, bias) {
    const args = [`${inputs}`, `${outputs}`, `${config.kernel_size}`];
    if (config.strides > 1) args.push(`stride=${config.strides}`);
    if (config.dilation > 1) args.push(`dilation=${config.dilation}`);
    if (config.padding !== "valid") args.push(`padding="${config.padding}"`);
    if (groups > 1) args.push(`groups=${groups}`);
    if (!bias) args.push("bias=False");
    return args;
  }

  function torchModuleLines(config) {
    const family = familyOf(config.layer), n = rankOf(config.layer);
    const d = config.features, u = config.units, m = config.depth_multiplier;
    if (config.layer === "embedding") return [`torch_module = torch.nn.Embedding(${d}, ${u})`];
    if (family === "transpose") {
      return call(`torch_module = torch.nn.ConvTranspose${n}d`,
        torchConvArgs(config, d, u, config.groups, config.bias));
    }
    if (family === "conv") {
      return call(`torch_module = torch.nn.Conv${n}d`, torchConvArgs(config, d, u, config.groups, config.bias));
    }
    const depthwise = torchConvArgs(config, d, d * m, d, family === "depthwise" && config.bias);
    if (family === "depthwise") {
      return [`# DepthwiseConv${n}D: a convolution of each channel on its own (groups=${d})`,
              ...call(`torch_module = torch.nn.Conv${n}d`, depthwise)];
    }
    return ["torch_module = torch.nn.Sequential(  # SeparableConv: depthwise, then pointwise",
      `    torch.nn.Conv${n}d(${depthwise.join(", ")}),`,
      `    torch.nn.Conv${n}d(${d * m}, ${u}, 1${config.bias ? "" : ", bias=False"}),`, ")"];
  }

  const INSTALL = "# weightatlas: install it from a clone or a wheel (see below)";

  // The Keras convolutions TensorFlow's CPU kernels refuse to run, which the code runs on
  // Keras' torch backend: tests/test_explorer.py compares this with every Keras
  // convolution of the grid run on TensorFlow. A PyTorch module's Keras layer is
  // channels_last (torch_to_keras' default).
  function tensorflowRefuses(config) {
    const family = familyOf(config.layer);
    if (family === null) return null;
    const first = config.framework === "keras" && config.data_format === "channels_first";
    if (family === "transpose" && first) return "channels_first transposed convolutions";
    if (family === "transpose" && config.dilation > 1) return "dilated transposed convolutions";
    if (family === "conv" && first && rankOf(config.layer) < 3) {
      return "channels_first Conv1D and Conv2D";
    }
    return null;
  }

  function backendLines(config) {
    const refused = tensorflowRefuses(config);
    if (!refused) return [];
    return ["import os", "", `# TensorFlow's CPU kernels refuse ${refused}:`,
            "# Keras runs them on its torch backend.", 'os.environ["KERAS_BACKEND"] = "torch"', ""];
  }

  // Keras to PyTorch for an Embedding or a convolution, through the weightatlas package.
  function kerasOneLayerCode(answer) {
    const config = answer.config, keras = NAMES[config.layer].keras;
    const embedding = config.layer === "embedding";
    const first = config.data_format === "channels_first";
    const lines = [];
    lines.push(...backendLines(config), "import keras", "import numpy as np", "import torch", "",
               INSTALL, "from weightatlas import keras_to_torch, plan_for", "");
    const inputShape = tuple(answer.input_shape.slice(1));
    lines.push(...call(`layer = keras.layers.${keras}`,
      [...kerasLayerArgs(config), `name="${config.layer}_0"`]));
    lines.push(`inputs = keras.Input(shape=${inputShape}${embedding ? ', dtype="int32"' : ""})`);
    lines.push('model = keras.Sequential([inputs, layer], name="model")');
    lines.push("weights = {w.path: keras.ops.convert_to_numpy(w) for w in model.weights}");
    lines.push(...shapeChecks(answer, "weights", "model.count_params()"));
    lines.push(`assert model.output_shape == ${tuple(answer.output_shape.map((size) => (size === "batch" ? "None" : size)))}`);
    lines.push("print(plan_for(layer))  # each array: its keys, shapes and axis move");
    lines.push("", "rng = np.random.default_rng(0)");
    const size = tuple(numeric(answer.input_shape));
    lines.push(embedding ? `x = rng.integers(0, ${config.features}, size=${size})`
      : `x = rng.normal(size=${size}).astype("float32")`);
    lines.push("keras_output = keras.ops.convert_to_numpy(model(x))");
    const module = NAMES[config.layer].pytorch;
    if (embedding || first) {
      lines.push(`torch_module = keras_to_torch(layer)  # ${module}`);
      lines.push("with torch.no_grad():");
      lines.push("    expected = torch_module(torch.from_numpy(x)).numpy()");
    } else {
      lines.push(`torch_module = keras_to_torch(layer)  # ${module}: reads channels first`);
      lines.push("with torch.no_grad():");
      lines.push("    channels_first = torch.from_numpy(np.moveaxis(x, -1, 1))");
      lines.push("    expected = np.moveaxis(torch_module(channels_first).numpy(), 1, -1)");
    }
    lines.push("np.testing.assert_allclose(keras_output, expected, atol=1e-5)");
    return lines.join("\n");
  }

  // PyTorch to Keras for an Embedding or a convolution, through the weightatlas package.
  function torchOneLayerCode(answer) {
    const config = answer.config, family = familyOf(config.layer);
    const embedding = config.layer === "embedding";
    const lines = [...backendLines(config), "import keras", "import numpy as np", "import torch", "",
                   INSTALL, "from weightatlas import plan_for, torch_to_keras", ""];
    lines.push(...torchModuleLines(config));
    lines.push("arrays = {n: p.detach().numpy() for n, p in torch_module.named_parameters()}");
    lines.push(...shapeChecks(answer, "arrays", "sum(a.size for a in arrays.values())"));
    if (family === "transpose" && config.groups > 1) {
      lines.push("try:  # Keras' transposed convolutions have no groups");
      lines.push("    torch_to_keras(torch_module)");
      lines.push('    raise AssertionError("converted")');
      lines.push("except ValueError as error:");
      lines.push('    assert "no Keras equivalent" in str(error)');
      return lines.join("\n");
    }
    const sequence = family === "separable";
    const moduleShape = tuple(answer.input_shape.slice(1));
    lines.push(`print(plan_for(torch_module${sequence ? `, input_shape=${moduleShape}` : ""}))` +
      "  # keys, shapes, moves");
    lines.push("", "rng = np.random.default_rng(0)");
    const size = tuple(numeric(answer.input_shape));
    lines.push(embedding ? `x = rng.integers(0, ${config.features}, size=${size})`
      : `x = rng.normal(size=${size}).astype("float32")`);
    lines.push("with torch.no_grad():");
    lines.push("    torch_output = torch_module(torch.from_numpy(x)).numpy()");
    if (embedding) {
      lines.push("keras_layers = torch_to_keras(torch_module)  # [Embedding]");
      lines.push(`inputs = keras.Input(shape=(${config.timesteps},), dtype="int32")`);
      lines.push("keras_model = keras.Sequential([inputs, *keras_layers])");
      lines.push("keras_output = keras.ops.convert_to_numpy(keras_model(x))");
      lines.push("np.testing.assert_allclose(keras_output, torch_output, atol=1e-5)");
      return lines.join("\n");
    }
    const channelsLast = tuple([...answer.input_shape.slice(2), config.features]);
    if (sequence) {
      lines.push("# an nn.Sequential converts whole, reading channels_last by default");
      lines.push(`keras_model = torch_to_keras(torch_module, input_shape=${moduleShape})`);
    } else {
      lines.push("keras_layers = torch_to_keras(torch_module)  # channels_last by default");
      lines.push(`inputs = keras.Input(shape=${channelsLast})`);
      lines.push("keras_model = keras.Sequential([inputs, *keras_layers])");
    }
    lines.push("keras_output = keras.ops.convert_to_numpy(keras_model(np.moveaxis(x, 1, -1)))");
    lines.push("np.testing.assert_allclose(np.moveaxis(keras_output, -1, 1), torch_output, atol=1e-5)");
    return lines.join("\n");
  }

  function kerasCode(answer) {
    const config = answer.config, kind = config.layer;
    if (kind === "embedding" || kind in CONVOLUTIONS) return kerasOneLayerCode(answer);
    const lines = ["import keras", "import numpy as np", "import torch", ""];
    const recurrent = RECURRENT.includes(kind);
    if (recurrent) lines.push("from recurrent import keras_to_torch  # recurrent.py: see below", "");
    if (kind === "locally_connected") {
      lines.push("from keras3_layer import LocallyConnected1D  # keras3_layer.py: see below", "");
    }
    lines.push("layers = [");
    if (recurrent) {
      for (let index = 0; index < config.layers; index++) lines.push(kerasLayerCode(config, index));
    } else if (kind === "dense") {
      lines.push(`    keras.layers.Dense(${config.units}${config.bias ? "" : ", use_bias=False"}, name="dense_0"),`);
    } else {
      lines.push(`    LocallyConnected1D(filters=${config.units}, kernel_size=${config.kernel_size},`);
      lines.push('                       name="locally_connected_0"),');
    }
    lines.push("]");
    lines.push(`inputs = keras.Input(shape=(${config.timesteps}, ${config.features}))`);
    lines.push('model = keras.Sequential([inputs, *layers], name="model")');
    lines.push("weights = {w.path: keras.ops.convert_to_numpy(w) for w in model.weights}");
    lines.push(...shapeChecks(answer, "weights", "model.count_params()"));
    lines.push(...splitLines(answer, true));
    lines.push("");
    lines.push("rng = np.random.default_rng(0)");
    lines.push(`x = rng.normal(size=${tuple(numeric(answer.input_shape))}).astype("float32")`);
    lines.push("keras_output = keras.ops.convert_to_numpy(model(x))");
    if (recurrent && kind === "gru" && !config.reset_after) {
      lines.push("try:  # no torch.nn.GRU computes reset_after=False");
      lines.push("    keras_to_torch(layers)");
      lines.push("except ValueError as error:");
      lines.push('    assert "cannot be converted" in str(error)');
      return lines.join("\n");
    }
    if (recurrent) {
      const module = NAMES[kind].pytorch;
      lines.push(`torch_module = keras_to_torch(layers)  # ${module}(batch_first=True)`);
      lines.push("with torch.no_grad():");
      lines.push("    torch_output, state = torch_module(torch.from_numpy(x))");
      if (config.return_sequences) {
        lines.push("expected = torch_output.numpy()");
      } else {
        lines.push(`h_n = ${kind === "lstm" ? "state[0]" : "state"}  # (layers * directions, batch, units)`);
        lines.push(config.bidirectional ? "expected = torch.cat([h_n[-2], h_n[-1]], dim=1).numpy()"
          : "expected = h_n[-1].numpy()");
      }
    } else if (kind === "dense") {
      lines.push(`torch_module = torch.nn.Linear(${config.features}, ${config.units}, bias=${pyBool(config.bias)})`);
      lines.push("with torch.no_grad():");
      lines.push('    torch_module.weight.copy_(torch.from_numpy(weights["model/dense_0/kernel"].T))');
      if (config.bias) lines.push('    torch_module.bias.copy_(torch.from_numpy(weights["model/dense_0/bias"]))');
      lines.push("    expected = torch_module(torch.from_numpy(x)).numpy()");
    } else if (config.features === 1 && config.units === 1) {
      lines.push("from unfold_layer import LocallyConnected1d  # unfold_layer.py: see below");
      lines.push("");
      lines.push(`torch_module = LocallyConnected1d(${config.timesteps}, ${config.kernel_size})`);
      lines.push('kernel = weights["model/locally_connected_0/kernel"]');
      lines.push('bias = weights["model/locally_connected_0/bias"]');
      lines.push("with torch.no_grad():");
      lines.push("    torch_module.weight.copy_(torch.from_numpy(kernel[..., 0]))");
      lines.push("    torch_module.bias.copy_(torch.from_numpy(bias[:, 0]))");
      lines.push("    expected = torch_module(torch.from_numpy(x[..., 0])).numpy()[..., None]");
    } else {
      lines.push("# The site's PyTorch layer has one channel and one filter: no conversion here.");
      lines.push(`assert keras_output.shape == ${tuple(numeric(answer.output_shape))}`);
      return lines.join("\n");
    }
    lines.push("np.testing.assert_allclose(keras_output, expected, atol=1e-5)");
    return lines.join("\n");
  }

  function torchCode(answer) {
    const config = answer.config, kind = config.layer;
    if (kind === "embedding" || kind in CONVOLUTIONS) return torchOneLayerCode(answer);
    const recurrent = RECURRENT.includes(kind);
    const lines = ["import keras", "import numpy as np", "import torch", ""];
    if (recurrent) lines.push("from recurrent import torch_to_keras  # recurrent.py: see below", "");
    if (kind === "locally_connected") {
      lines.push("from keras3_layer import LocallyConnected1D  # keras3_layer.py: see below");
      lines.push("from unfold_layer import LocallyConnected1d  # unfold_layer.py: see below", "");
    }
    const bias = config.bias ? "" : ", bias=False";
    if (recurrent) {
      const options = [`${config.features}`, `${config.units}`];
      if (config.layers > 1) options.push(`num_layers=${config.layers}`);
      if (config.bidirectional) options.push("bidirectional=True");
      if (!config.bias) options.push("bias=False");
      options.push("batch_first=True");
      const call = `torch_module = torch.${NAMES[kind].pytorch}(`;
      if (call.length + options.join(", ").length < 88) lines.push(`${call}${options.join(", ")})`);
      else lines.push(call, `    ${options.join(", ")},`, ")");
    } else if (kind === "dense") {
      lines.push(`torch_module = torch.nn.Linear(${config.features}, ${config.units}${bias})`);
    } else {
      lines.push(`torch_module = LocallyConnected1d(${config.timesteps}, ${config.kernel_size})`);
    }
    lines.push("arrays = {n: p.detach().numpy() for n, p in torch_module.named_parameters()}");
    lines.push(...shapeChecks(answer, "arrays", "sum(a.size for a in arrays.values())"));
    lines.push(...splitLines(answer, false));
    lines.push("");
    lines.push("rng = np.random.default_rng(0)");
    lines.push(`x = rng.normal(size=${tuple(numeric(answer.input_shape))}).astype("float32")`);
    lines.push("with torch.no_grad():");
    if (recurrent) {
      lines.push("    torch_output, state = torch_module(torch.from_numpy(x))");
      lines.push("keras_layers = torch_to_keras(torch_module)  # return_sequences=True");
      lines.push(`inputs = keras.Input(shape=(${config.timesteps}, ${config.features}))`);
      lines.push("keras_model = keras.Sequential([inputs, *keras_layers])");
      lines.push("keras_output = keras.ops.convert_to_numpy(keras_model(x))");
      lines.push("np.testing.assert_allclose(keras_output, torch_output.numpy(), atol=1e-5)");
      return lines.join("\n");
    }
    lines.push("    torch_output = torch_module(torch.from_numpy(x)).numpy()");
    if (kind === "dense") {
      lines.push(`keras_layer = keras.layers.Dense(${config.units}${config.bias ? "" : ", use_bias=False"})`);
      lines.push(`keras_layer.build((None, ${config.timesteps}, ${config.features}))`);
      lines.push(`keras_layer.set_weights([arrays["weight"].T${config.bias ? ', arrays["bias"]' : ""}])`);
      lines.push("keras_output = keras.ops.convert_to_numpy(keras_layer(x))");
    } else {
      lines.push(`keras_layer = LocallyConnected1D(filters=1, kernel_size=${config.kernel_size})`);
      lines.push(`keras_layer.build((None, ${config.timesteps}, 1))`);
      lines.push('keras_layer.set_weights([arrays["weight"][..., None], arrays["bias"][:, None]])');
      lines.push("keras_output = keras.ops.convert_to_numpy(keras_layer(x[..., None]))[..., 0]");
    }
    lines.push("np.testing.assert_allclose(keras_output, torch_output, atol=1e-5)");
    return lines.join("\n");
  }

  function code(raw) {
    const answer = layout(raw);
    if (answer.error) return "";
    return answer.config.framework === "keras" ? kerasCode(answer) : torchCode(answer);
  }

  // --- The configuration in the URL ----------------------------------------------------
  function toQuery(config) {
    const params = new URLSearchParams();
    for (const key of Object.keys(DEFAULTS)) params.set(key, String(config[key]));
    return params.toString();
  }

  function fromQuery(search) {
    const params = new URLSearchParams(search);
    const raw = {};
    for (const key of Object.keys(DEFAULTS)) if (params.has(key)) raw[key] = params.get(key);
    return raw;
  }

  window.WeightAtlasExplorer = {
    DEFAULTS, GATE_ORDER, PROOFS, layout, normalize, formulaOf, evaluate, code, toQuery, fromQuery,
    tensorflowRefuses,
  };

  // --- The page ----------------------------------------------------------------------------
  const form = document.getElementById("explorer-form");
  if (!form) return;

  const element = (tag, attributes, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key === "class") node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children.flat()) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  };
  const codeOf = (text) => element("code", {}, text);
  const shapeText = (shape) => tuple(shape);
  // A weight's path may wrap after each "/", so a phone shows the shape beside it.
  const pathCode = (path) => element("code", {}, ...path.split("/").flatMap((part, k, parts) =>
    k < parts.length - 1 ? [`${part}/`, element("wbr")] : [part]));
  const link = (href, text) => element("a", { href }, text);

  function readForm() {
    const data = new FormData(form);
    const raw = { framework: data.get("framework"), layer: data.get("layer") };
    for (const key of SIZES) raw[key] = data.get(key);
    for (const key of FLAGS) raw[key] = form.elements[key].checked;
    for (const key of Object.keys(CHOICES)) raw[key] = data.get(key);
    return raw;
  }

  function writeForm(config) {
    form.elements.framework.value = config.framework;
    form.elements.layer.value = config.layer;
    for (const key of SIZES) form.elements[key].value = Number.isNaN(config[key]) ? "" : config[key];
    for (const key of FLAGS) form.elements[key].checked = config[key];
    for (const key of Object.keys(CHOICES)) form.elements[key].value = config[key];
  }

  function markApplicable(config) {
    const used = applies(config);
    for (const key of Object.keys(used)) {
      const field = form.elements[key];
      field.disabled = !used[key];
      field.closest(".explorer-field").classList.toggle("explorer-field--unused", !used[key]);
    }
    const layerSelect = form.elements.layer;
    for (const option of layerSelect.options) {
      option.textContent = option.dataset[config.framework];
    }
  }

  function gateLabel(gate) {
    return `${gate}: ${GATE_NAMES[gate]}`;
  }

  function blockBar(array, units) {
    const bar = element("div", { class: "explorer-bar", role: "img",
      "aria-label": `${array.name.split("/").pop()} split along axis ${array.blocks.axis} into ` +
        array.blocks.gates.map((gate, k) => `${GATE_NAMES[gate]} ${k * units}:${(k + 1) * units}`).join(", ") });
    array.blocks.gates.forEach((gate, k) => {
      bar.append(element("span", { class: `explorer-block explorer-gate-${gate}` },
        element("strong", {}, gate), ` ${k * units}:${(k + 1) * units}`));
    });
    return bar;
  }

  function sliceText(array, gateIndex, units) {
    const start = gateIndex * units, stop = (gateIndex + 1) * units;
    const parts = array.shape.map(() => ":");
    parts[array.blocks.axis] = `${start}:${stop}`;
    while (parts.length > 1 && parts[parts.length - 1] === ":") parts.pop();
    return `[${parts.join(", ")}]`;
  }

  function scrolling(label, child) {
    return element("div", { class: "explorer-scroll", tabindex: "0", role: "region",
                            "aria-label": label }, child);
  }

  function arraysTable(answer) {
    const units = answer.config.units;
    const order = answer.gate_order.length > 1 ? answer.gate_order : [];
    const head = element("tr", {}, element("th", { scope: "col" }, "array"),
      element("th", { scope: "col" }, "shape"),
      ...order.map((gate) => element("th", { scope: "col", class: `explorer-gate-head explorer-gate-${gate}` },
        gateLabel(gate))));
    const rows = answer.arrays.map((array) => element("tr", {},
      element("td", { class: "explorer-name" }, pathCode(array.name)),
      element("td", {}, codeOf(shapeText(array.shape))),
      ...order.map((gate, k) => element("td", {}, codeOf(sliceText(array, k, units))))));
    return scrolling("Weight arrays, shapes and gate slices",
      element("table", {}, element("thead", {}, head), element("tbody", {}, rows)));
  }

  function formulaNode(formula, values) {
    const node = element("span", { class: "explorer-formula" });
    for (const token of formula.match(/\d+|[a-zA-Z_]+|[-+*/()]/g)) {
      if (token === "*") node.append(" · ");
      else if (token === "+" || token === "-" || token === "/") node.append(` ${token} `);
      else if (/^[a-zA-Z_]+$/.test(token)) {
        node.append(values ? String(values[token]) : element("var", {}, token));
      } else node.append(token);
    }
    return node;
  }

  function title(config) {
    const name = NAMES[config.layer][config.framework];
    const frameworkName = config.framework === "keras" ? "Keras 3" : "PyTorch 2";
    const family = familyOf(config.layer);
    let text = `${frameworkName} ${name}, units ${config.units}, ${config.features} input features`;
    if (config.layer === "embedding") {
      text = `${frameworkName} ${name}, ${config.features} entries of ${config.units}`;
    } else if (family !== null) {
      const filters = family === "depthwise" ? `depth multiplier ${config.depth_multiplier}`
        : `${config.units} filters`;
      text = `${frameworkName} ${name}, ${filters}, kernel ${config.kernel_size}, ` +
        `${config.features} input channels`;
      if (config.strides > 1) text += `, strides ${config.strides}`;
      if (config.dilation > 1) text += `, dilation ${config.dilation}`;
      if (config.padding !== "valid") text += `, padding "${config.padding}"`;
      if (config.groups > 1) text += `, ${config.groups} groups`;
      if (family === "separable" && config.depth_multiplier > 1) {
        text += `, depth multiplier ${config.depth_multiplier}`;
      }
      if (config.data_format !== "channels_last") text += ", channels_first";
    }
    if (RECURRENT.includes(config.layer)) {
      if (config.bidirectional) text += ", bidirectional";
      if (config.layers > 1) text += `, ${config.layers} layers`;
    }
    return text;
  }

  function citation(answer) {
    const stamp = document.querySelector(".verified-with");
    const versions = stamp ? stamp.textContent.replace(/\s+/g, " ").trim() : "";
    const shapes = answer.arrays.slice(0, 4).map((a) => `${a.name} ${shapeText(a.shape)}`).join(", ");
    return `${title(answer.config)}: ${answer.parameters} parameters; ${shapes}` +
      `${answer.arrays.length > 4 ? ", …" : ""}. [Weight Atlas: Layout explorer](${location.href}) (${versions})`;
  }

  const summary = document.getElementById("explorer-summary");
  const details = document.getElementById("explorer-details");
  let current = null;

  function render(answer) {
    current = answer;
    details.replaceChildren();
    if (answer.error) {
      summary.replaceChildren(element("p", { class: "explorer-error" }, answer.error));
      return;
    }
    const config = answer.config, values = sizesOf(config);
    summary.replaceChildren(element("p", {},
      element("strong", { id: "explorer-count" }, String(answer.parameters)), " parameters in ",
      String(answer.arrays.length), " arrays; output ", codeOf(shapeText(answer.output_shape)),
      answer.without_batch_first ? [" with ", codeOf("batch_first=True")] : [], "."));

    const keras = config.framework === "keras";
    const recurrent = RECURRENT.includes(config.layer);
    details.append(element("h2", { id: "explorer-arrays", tabindex: "-1" }, `Arrays of ${title(config)}`));
    if (answer.gate_order.length > 1) {
      details.append(element("p", {}, "Gate blocks in storage order: ",
        ...answer.gate_order.flatMap((gate, k) => [k ? ", " : "",
          element("span", { class: `explorer-chip explorer-gate-${gate}` }, gateLabel(gate))]),
        ". Proof: ", link(PROOFS[`${config.framework}/${config.layer}`], "the gate order, run against the library"), "."));
    } else if (recurrent) {
      details.append(element("p", {}, "One block: no gates to split. ",
        link(PROOFS[`${config.framework}/${config.layer}`], "The equation, run against the library"), "."));
    }
    details.append(arraysTable(answer));
    const notes = [];
    if (recurrent && keras) notes.push(link(PROOFS.weight_list, "The order of model.weights"));
    if (recurrent && !keras) notes.push(link(PROOFS.names, "The names weight_ih_l0 … _reverse"));
    if (config.layer === "gru" && keras) notes.push(link(PROOFS.reset_after, "reset_after and the bias rows"));
    if (config.layer === "locally_connected") notes.push(link(keras ? PROOFS.locally_connected : PROOFS.unfold, "The locally connected layer"));
    const family = familyOf(config.layer);
    if (config.layer === "dense") notes.push(link(PROOFS.dense, "kernel against weight"));
    if (config.layer === "embedding") notes.push(link(PROOFS.embedding, "the embedding table"));
    if (family !== null) notes.push(link(PROOFS.conv_layout, "kernel against weight, axis by axis"));
    if (family === "transpose") notes.push(link(PROOFS.conv_transposed, "the transposed kernel"));
    if (family === "depthwise" || family === "separable") {
      notes.push(link(PROOFS.conv_depthwise, "depthwise and separable kernels"));
    }
    if (config.groups > 1) notes.push(link(PROOFS.conv_groups, "groups"));
    if (notes.length) details.append(element("p", {}, "Proven on the site: ", ...notes.flatMap((n, k) => [k ? "; " : "", n]), "."));

    const first = answer.arrays.filter((array) => array.blocks)
      .slice(0, keras ? (config.bias ? 3 : 2) : (config.bias ? 4 : 2));
    if (first.length) {
      const figure = element("div", { class: "explorer-bars" });
      for (const array of first) {
        figure.append(element("p", { class: "explorer-bar-label" }, codeOf(array.name.split("/").pop()),
          ` ${shapeText(array.shape)}, blocks along axis ${array.blocks.axis}`), blockBar(array, config.units));
      }
      details.append(element("h3", { id: "explorer-blocks" }, "Gate blocks of the first layer"), figure);
    }

    details.append(element("h3", { id: "explorer-count-heading" }, "Parameter count"));
    const legend = { d: "input features", u: "units", k: "kernel size", T: "timesteps",
                     L: "T − k + 1, the output length", g: "groups", m: "depth multiplier" };
    if (config.layer === "embedding") {
      Object.assign(legend, { d: "vocabulary size (input_dim, num_embeddings)",
                              u: "output_dim (embedding_dim)" });
    } else if (family !== null) {
      Object.assign(legend, { d: "input channels", u: "filters (out_channels)",
                              k: "kernel size along each spatial axis" });
    }
    const used = Object.keys(legend).filter((name) => new RegExp(`\\b${name}\\b`).test(answer.formula));
    details.append(element("p", { class: "explorer-count-formula" }, formulaNode(answer.formula), " = ",
      formulaNode(answer.formula, values), " = ", element("strong", {}, String(answer.parameters))));
    details.append(element("p", {}, used.map((name) => `${name} = ${legend[name]} (${values[name]})`).join(", "),
      ". ", link(PROOFS.counts, "Every count, checked against the libraries"),
      recurrent && (config.bidirectional || config.layers > 1) ? ["; ", link(PROOFS.next_layer, "the next layer's input")] : [], "."));

    details.append(element("h3", { id: "explorer-shapes" }, "Input, output and state shapes"));
    const shapeRows = answer.without_batch_first
      ? [["input, batch_first=True", answer.input_shape],
         ["output, batch_first=True", answer.output_shape],
         ["input, batch_first=False (the default)", answer.without_batch_first.input_shape],
         ["output, batch_first=False (the default)", answer.without_batch_first.output_shape]]
      : [["input", answer.input_shape], ["output", answer.output_shape]];
    const stateNames = keras
      ? Array.from({ length: answer.state_shapes.length }, (_, k) => {
        const perDirection = config.layer === "lstm" ? ["h", "c"] : ["h"];
        const side = config.bidirectional ? (k < perDirection.length ? " forward" : " backward") : "";
        return `state ${perDirection[k % perDirection.length]}${side} (return_state=True)`;
      })
      : ["h_n", "c_n"];
    answer.state_shapes.forEach((shape, k) => shapeRows.push([stateNames[k], shape]));
    details.append(scrolling("Input, output and state shapes", element("table", {},
      element("thead", {}, element("tr", {}, element("th", { scope: "col" }, "tensor"), element("th", { scope: "col" }, "shape"))),
      element("tbody", {}, shapeRows.map(([name, shape]) => element("tr", {}, element("td", {}, name), element("td", {}, codeOf(shapeText(shape)))))))));
    const shapeNotes = [];
    if (recurrent && keras) {
      shapeNotes.push(config.return_sequences ? "return_sequences=True: one output per timestep. "
        : "return_sequences=False: the last output only. ");
      shapeNotes.push(link(PROOFS.shapes, "Shapes in and out"), "; ", link(PROOFS.return_state, "return_state"), ".");
    } else if (recurrent) {
      shapeNotes.push("The code below builds the layer with batch_first=True, so the batch comes first; " +
        "PyTorch's default, batch_first=False, puts the timesteps first. The output holds each timestep; " +
        "h_n is (layers × directions, batch, units) either way. ",
        link(PROOFS.batch_first, "batch_first and h_n"), "; ", link(PROOFS.last_step, "the last step of two directions"), ".");
    } else if (family !== null) {
      const length = convolutionLength(config);
      const rank = rankOf(config.layer);
      shapeNotes.push(`${rank === 1 ? "The spatial axis holds" : `Each of the ${rank} spatial axes holds`} ` +
        `${config.timesteps} entries in and ${length} out. `);
      if (!keras) {
        shapeNotes.push("PyTorch's convolutions read channels first: (batch, channels, spatial…). ");
      } else if (config.data_format === "channels_first") {
        shapeNotes.push("channels_first changes where the data's channels are, not the kernel. ",
          link(PROOFS.bias_bug, "A Keras bias bug in channels_first layers"), ". ");
      } else {
        shapeNotes.push("Keras' default, channels_last, puts the channels last: (batch, spatial…, channels). ");
      }
      const span = config.dilation * (config.kernel_size - 1) + 1;
      if (family === "transpose" && config.padding === "valid" && span < config.strides) {
        shapeNotes.push(`The kernel spans ${span} steps, fewer than the stride: here Keras' output ` +
          `has ${config.timesteps * config.strides} entries per axis and PyTorch's ` +
          `${(config.timesteps - 1) * config.strides + span} (Keras pads the end; ` +
          "the converter sets output_padding). ");
      }
      shapeNotes.push(link(PROOFS.conv_padding, 'padding="same" in both libraries'), ".");
    }
    if (shapeNotes.length) details.append(element("p", {}, ...shapeNotes));

    details.append(element("h3", { id: "explorer-code" },
      answer.gate_order.length > 1 ? "Split per gate and convert" : "Check and convert"));
    const downloads = [];
    if (recurrent) downloads.push(link(PROOFS.converter, "recurrent.py"), " (", link(PROOFS.convert, "how it works"), ")");
    if (config.layer === "locally_connected") {
      downloads.push(link(PROOFS.keras3_layer, "keras3_layer.py"), " and ", link(PROOFS.unfold_layer, "unfold_layer.py"));
    }
    if (config.layer === "gru" && keras && !config.reset_after) {
      downloads.push(". ", link(PROOFS.refused, "Why reset_after=False has no PyTorch equivalent"));
    }
    if (config.layer === "dense") downloads.push(link(PROOFS.not_recurrent, "Layers that are not recurrent"));
    if (config.layer === "embedding" || family !== null) {
      downloads.push("the weightatlas package (", link(PROOFS.install, "install it from a clone or a wheel"), ")");
    }
    details.append(element("p", {}, "This code runs as shown; it checks every shape, the count and that both frameworks agree. Needs: ", ...downloads, "."));
    const codeText = keras ? kerasCode(answer) : torchCode(answer);
    const copy = element("button", { type: "button", class: "md-button explorer-copy-code" }, "Copy code");
    copy.addEventListener("click", () => copyText(codeText, copy, "Copy code"));
    details.append(copy, scrolling("Code for this configuration",
      element("pre", { class: "explorer-pre" }, element("code", { id: "explorer-code-text" }, codeText))));
  }

  async function copyText(text, button, label) {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch (error) {
      button.textContent = "Copy failed: select the text";
    }
    setTimeout(() => { button.textContent = label; }, 2000);
  }

  function update() {
    const raw = readForm();
    const answer = layout(raw);
    markApplicable(answer.config);
    const url = `${location.pathname}?${toQuery(answer.config)}${location.hash}`;
    if (!answer.error) history.replaceState(null, "", url);
    render(answer);
  }

  function start() {
    const config = normalize(fromQuery(location.search));
    writeForm(config);
    form.addEventListener("input", () => update());
    form.addEventListener("change", () => update());
    form.addEventListener("submit", (event) => event.preventDefault());
    document.getElementById("explorer-copy-link").addEventListener("click", (event) =>
      copyText(location.href, event.currentTarget, "Copy link"));
    document.getElementById("explorer-copy-citation").addEventListener("click", (event) =>
      current && !current.error && copyText(citation(current), event.currentTarget, "Copy citation"));
    update();
    document.documentElement.dataset.explorer = "ready";
  }

  start();
})();
