// 转为线索 from a conversation: the leads page's form (with the duplicate check shown in it), opened
// prefilled with the follower's name, verified phone, words and wechatUserId.
export { LeadFormModal as OaMakeLeadModal } from '../sales/LeadFormModal';
