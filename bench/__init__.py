"""The speed and memory benchmark of report-qa: ``python -m bench.speed [--quick] [--reuse-index]``.

One module per job; :mod:`bench.speed` runs them in order and writes ``bench/results/speed.json``
and ``speed.png``:

* :mod:`bench.machine`: machine facts, load, memory (:mod:`bench.memory`), CPU time, FAISS threads;
* :mod:`bench.corpus`: the shared reports and the samples as a data folder;
* :mod:`bench.indexing`: ``update_index`` throughput against the bare encoder (section 2);
* :mod:`bench.latency`: question latency of ``Retriever.search()`` and the parts inside it (section 1),
  on the real index and on a 10k-chunk one (:mod:`bench.synthetic`), asking :mod:`bench.questions`;
* :mod:`bench.updates`: an update with nothing changed and with one report changed (section 3);
* :mod:`bench.fresh`: a fresh process, start to first answer and peak memory (section 4);
* :mod:`bench.openmp`: the query encoder under OpenMP settings (section 1b);
* :mod:`bench.scaling`: the dense index alone, flat against HNSW, by size, and the threshold advice
  (section 5); :mod:`bench.plot` draws it (section 6).

The programs run in fresh processes are modules too (``python -m bench.child_latency`` and the
other ``bench.child_*``), started by :func:`bench.children.run_child`.
"""
