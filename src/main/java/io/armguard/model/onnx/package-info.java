/**
 * Reading ONNX exports without a protobuf dependency ({@code ProtoReader}, {@code OnnxWeights}),
 * importing BERT-family encoders into the Hugging Face BERT layout ({@code BertImporter}) and
 * replacing tensors equal to an imported base by references to its pinned artifact ({@code
 * Externalizer}).
 *
 * <p>Allowed imports: {@code model}, the JDK; nothing above {@code model}.
 */
package io.armguard.model.onnx;
