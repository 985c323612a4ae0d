/**
 * Reading and writing models: plm4j's own checkpoints ({@link org.plm4j.model.io.Checkpoints}),
 * Hugging Face model directories of model_type bert, roberta and distilbert
 * ({@link org.plm4j.model.io.HuggingFaceReader}, {@link org.plm4j.model.io.HuggingFaceWriter}), and
 * fp32 ONNX exports of a BERT encoder ({@link org.plm4j.model.io.OnnxBertReader}). Every writer
 * fills a temporary sibling directory and moves it into place, so a failed or interrupted write
 * leaves the previous directory intact. Failures are {@link org.plm4j.model.CheckpointException}s
 * that name the file, the value found and what to do.
 */
package org.plm4j.model.io;
