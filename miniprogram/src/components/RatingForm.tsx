import { Text, Textarea, View } from '@tarojs/components';
import { useState } from 'react';
import { LOW_RATING_THRESHOLD, ratingInputSchema, type FeedbackDetail, type RatingInput } from '@qiao/shared';
import { rateFeedback } from '../api/feedbacks';
import { useForm } from '../hooks/useForm';
import { formatDateTime } from '../utils/format';
import { check } from '../utils/form';
import { FieldError, FormError, SubmitButton } from './Form';
import './RatingForm.css';

type Dimension = 'timeliness' | 'attitude' | 'quality';
const dimensions: { key: Dimension; label: string }[] = [
  { key: 'timeliness', label: '及时性' },
  { key: 'attitude', label: '服务态度' },
  { key: 'quality', label: '服务质量' },
];
const scoreWords = ['', '很不满意', '不满意', '一般', '满意', '非常满意'];

function Stars({ value, id, onChange }: { value: number; id?: string; onChange?: (score: number) => void }) {
  return (
    <View className='stars'>
      {[1, 2, 3, 4, 5].map((score) => (
        <Text
          key={score}
          id={id ? `${id}-${score}` : undefined}
          className={`stars__star ${score <= value ? 'stars__star--on' : ''}`}
          onClick={onChange ? () => onChange(score) : undefined}
        >
          ★
        </Text>
      ))}
    </View>
  );
}

/** The customer's rating once given. */
export function RatingView({ rating }: { rating: NonNullable<FeedbackDetail['rating']> }) {
  return (
    <View id='fd-rating' className='card rating'>
      <Text className='card__title'>我的评价</Text>
      {dimensions.map((dimension) => (
        <View key={dimension.key} className='row rating__row'>
          <Text className='rating__label'>{dimension.label}</Text>
          <Stars value={rating[dimension.key]} />
          <Text className='muted rating__score'>{rating[dimension.key]} 分</Text>
        </View>
      ))}
      {rating.comment ? <Text className='text rating__comment'>{rating.comment}</Text> : null}
      <Text className='muted'>评价于 {formatDateTime(rating.ratedAt)}</Text>
    </View>
  );
}

/** 满意度评价: three 1–5 star rows and a comment; once, after completion. */
export function RatingForm({ feedbackId, onRated }: { feedbackId: string; onRated: (detail: FeedbackDetail) => void }) {
  const [scores, setScores] = useState<Record<Dimension, number>>({ timeliness: 0, attitude: 0, quality: 0 });
  const [comment, setComment] = useState('');
  const { errors, message, submitting, start, fail } = useForm();

  async function submit(): Promise<void> {
    if (submitting) return;
    const checked = check<RatingInput>(ratingInputSchema, { ...scores, comment });
    if (!start(checked)) return;
    try {
      onRated(await rateFeedback(feedbackId, checked.data));
    } catch (error) {
      fail(error);
    }
  }

  const low = Object.values(scores).some((score) => score > 0 && score <= LOW_RATING_THRESHOLD);
  return (
    <View id='rate-form' className='card rating'>
      <Text className='card__title'>服务评价</Text>
      <Text className='muted rating__intro'>服务已完成，请为本次服务打分</Text>
      {dimensions.map((dimension) => (
        <View key={dimension.key} className='rating__field'>
          <View className='row rating__row'>
            <Text className='rating__label'>{dimension.label}</Text>
            <Stars
              id={`rate-${dimension.key}`}
              value={scores[dimension.key]}
              onChange={(score) => setScores((prev) => ({ ...prev, [dimension.key]: score }))}
            />
            <Text className='muted rating__score'>{scoreWords[scores[dimension.key]]}</Text>
          </View>
          <FieldError message={errors[dimension.key]} />
        </View>
      ))}
      <Textarea
        id='rate-comment'
        className='field__textarea rating__textarea'
        maxlength={500}
        placeholder={low ? '很抱歉没有让您满意，请告诉我们哪里需要改进' : '说说您对本次服务的感受（选填）'}
        value={comment}
        onInput={(event) => setComment(event.detail.value)}
      />
      <FieldError message={errors.comment} />
      <FormError message={message} />
      <SubmitButton id='rate-submit' label='提交评价' busy={submitting} onClick={() => void submit()} />
    </View>
  );
}
